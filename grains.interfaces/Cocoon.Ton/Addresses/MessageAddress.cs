namespace Cocoon.Ton.Addresses;

/// <summary>A <c>MsgAddress</c> as it appears in message headers: an internal address, an external one, or neither (<c>addr_none</c>).</summary>
public readonly record struct MessageAddress(TonAddress? Internal, ExternalAddress? External)
{
    public bool IsNone => Internal is null && External is null;

    public override string ToString() => Internal?.ToRaw() ?? External?.ToString() ?? "none";
}
