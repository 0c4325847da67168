namespace Cocoon.Ton.Toncenter;

/// <summary>
/// A message of a transaction as toncenter lists it. Addresses are toncenter's user-friendly strings, empty for
/// an external message's missing side. <see cref="Body"/> is the raw body BOC (base64) when the API gives it;
/// <see cref="Comment"/> is the decoded text of a text-comment body.
/// </summary>
public sealed record ToncenterMessage(
    string? Hash,
    string Source,
    string Destination,
    long Value,
    long ForwardFee,
    long IhrFee,
    ulong CreatedLt,
    string BodyHash,
    string? Body,
    string? InitState,
    string? Comment)
{
    /// <summary>An inbound external message (no source): how wallets receive their owners' signed orders.</summary>
    public bool IsExternalIn => Source.Length == 0 && Destination.Length > 0;

    /// <summary>An outbound external message (a log entry, no destination).</summary>
    public bool IsExternalOut => Destination.Length == 0 && Source.Length > 0;
}
