using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Security;

/// <summary>
/// Client account ids are derived from their Ed25519 public key: <c>acc_</c> followed by the first 20 bytes of
/// SHA-256("cocoon.account.v1" ‖ public key) in lowercase hex (44 characters). System accounts (<c>system:*</c>) and
/// node owner accounts are plain names and are never signed for.
/// </summary>
public static class AccountIds
{
    public const string Prefix = "acc_";
    public const int PublicKeyLength = 32;
    private const int HashBytes = 20;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("cocoon.account.v1");

    public static string FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
            throw new ArgumentException($"An Ed25519 public key has {PublicKeyLength} bytes, got {publicKey.Length}.", nameof(publicKey));
        Span<byte> input = stackalloc byte[Domain.Length + PublicKeyLength];
        Domain.CopyTo(input);
        publicKey.CopyTo(input[Domain.Length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return Prefix + Convert.ToHexStringLower(hash[..HashBytes]);
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a key-derived account id (it says nothing of who holds the key).</summary>
    public static bool IsKeyDerived(string? id) =>
        id is { Length: 44 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") == false;
}
