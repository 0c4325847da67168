namespace Cocoon.Security;

/// <summary>
/// An account's signature of one public request: the signer's public key, when it signed (Unix milliseconds), a
/// random nonce and the Ed25519 signature over <see cref="RequestSigning.Message"/>. The operation and content it
/// covers are not carried: the verifier recomputes them from the request, so a signature fits only its request.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.request-signature.v1")]
public sealed record RequestSignature(
    [property: Id(0)] byte[] PublicKey,
    [property: Id(1)] long TimestampMs,
    [property: Id(2)] byte[] Nonce,
    [property: Id(3)] byte[] Signature)
{
    public const int NonceLength = 16;

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    /// <summary>A compact text form for audit records: base64 of public key ‖ timestamp ‖ nonce ‖ signature.</summary>
    public override string ToString() =>
        $"ed25519:{Convert.ToBase64String(PublicKey)}:{TimestampMs}:{Convert.ToHexStringLower(Nonce)}:{Convert.ToBase64String(Signature)}";
}

/// <summary>A signed request with no body beyond its target (reads, cancellations): the account and its signature.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.signed-request.v1")]
public sealed record SignedRequest(
    [property: Id(0)] string AccountId,
    [property: Id(1)] RequestSignature Signature);
