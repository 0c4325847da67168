namespace Cocoon.Confidential.Keys;

/// <summary>
/// What a node presents to be trusted: its TDX (or simulated) quote, a version that changes whenever the quote does
/// (the verifier's cache key), when the quote was produced, and the public keys its REPORTDATA binds.
/// </summary>
public sealed record Evidence(byte[] Quote, long Version, DateTimeOffset IssuedAt, byte[] X25519PublicKey, byte[] Ed25519PublicKey)
{
    /// <summary>The REPORTDATA the quote must carry for these keys.</summary>
    public byte[] ExpectedReportData() => NodeKeys.ComputeReportData(X25519PublicKey, Ed25519PublicKey);
}
