using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Security;

/// <summary>
/// Signs and checks public requests. The signed message is
/// <c>"cocoon.request.v1" ‖ string(operation) ‖ digest[32] ‖ string(account) ‖ public key[32] ‖ i64(timestamp ms) ‖ nonce[16]</c>
/// (strings length-prefixed, see <see cref="CanonicalWriter"/>; layout in docs/security.md).
/// </summary>
public static class RequestSigning
{
    public const string DomainTag = "cocoon.request.v1";

    public static byte[] Message(string operation, ReadOnlySpan<byte> contentDigest, string accountId, ReadOnlySpan<byte> publicKey, long timestampMs, ReadOnlySpan<byte> nonce)
    {
        if (contentDigest.Length != 32) throw new ArgumentException("The content digest is a SHA-256 (32 bytes).", nameof(contentDigest));
        return new CanonicalWriter()
            .Fixed(Encoding.ASCII.GetBytes(DomainTag))
            .String(operation)
            .Fixed(contentDigest)
            .String(accountId)
            .Fixed(publicKey)
            .Int64(timestampMs)
            .Fixed(nonce)
            .ToArray();
    }

    public static RequestSignature Sign(AccountKey key, string operation, ReadOnlySpan<byte> contentDigest, DateTimeOffset now)
    {
        var nonce = RandomNumberGenerator.GetBytes(RequestSignature.NonceLength);
        var ts = now.ToUnixTimeMilliseconds();
        var signature = key.Sign(Message(operation, contentDigest, key.AccountId, key.PublicKey, ts, nonce));
        return new RequestSignature(key.PublicKey, ts, nonce, signature);
    }

    public static SignedRequest SignedRequest(AccountKey key, string operation, ReadOnlySpan<byte> contentDigest, DateTimeOffset now) =>
        new(key.AccountId, Sign(key, operation, contentDigest, now));

    /// <summary>
    /// Null when <paramref name="signature"/> is <paramref name="accountId"/>'s valid signature of this operation and
    /// content; otherwise why not. Freshness and replay are the verifier's (they need a clock and memory).
    /// </summary>
    public static string? Check(RequestSignature? signature, string operation, ReadOnlySpan<byte> contentDigest, string accountId)
    {
        if (signature is null) return "the request is not signed";
        if (signature.PublicKey is not { Length: AccountIds.PublicKeyLength }) return "its public key is not 32 bytes";
        if (signature.Nonce is not { Length: RequestSignature.NonceLength }) return $"its nonce is not {RequestSignature.NonceLength} bytes";
        if (signature.Signature is not { Length: 64 }) return "its signature is not 64 bytes";
        if (AccountIds.FromPublicKey(signature.PublicKey) != accountId) return $"its public key does not derive account {accountId}";
        var message = Message(operation, contentDigest, accountId, signature.PublicKey, signature.TimestampMs, signature.Nonce);
        return AccountKey.Verify(signature.PublicKey, message, signature.Signature) ? null : "the signature does not verify";
    }
}
