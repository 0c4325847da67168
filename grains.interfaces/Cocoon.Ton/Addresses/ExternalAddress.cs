namespace Cocoon.Ton.Addresses;

/// <summary>An external address (<c>addr_extern</c>): up to 511 bits naming something outside the blockchain.</summary>
public sealed record ExternalAddress(byte[] Data, int BitLength)
{
    public override string ToString() => $"ext:{BitLength}:{Convert.ToHexStringLower(Data)}";
}
