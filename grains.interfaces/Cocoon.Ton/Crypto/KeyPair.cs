using NSec.Cryptography;

namespace Cocoon.Ton.Crypto;

/// <summary>
/// An Ed25519 key pair as TON uses it: a 32-byte seed (private key) and a 32-byte public key; the 64-byte
/// "secret key" of NaCl and @ton/crypto is seed ‖ public key.
/// </summary>
public sealed class KeyPair
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private KeyPair(byte[] seed, byte[] publicKey)
    {
        _seed = seed;
        _publicKey = publicKey;
    }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public string PublicKeyHex => Convert.ToHexStringLower(_publicKey);

    /// <summary>The 32-byte private seed. Treat as a secret: never log it.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>The 64-byte NaCl secret key (seed ‖ public key).</summary>
    public byte[] SecretKey => [.. _seed, .. _publicKey];

    public static KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new TonFormatException($"An Ed25519 seed has 32 bytes, got {seed.Length}.");
        }

        using var key = Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return new KeyPair(seed.ToArray(), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Imports a 64-byte NaCl secret key, checking that its second half is the seed's public key.</summary>
    public static KeyPair FromSecretKey(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != 64)
        {
            throw new TonFormatException($"An Ed25519 secret key has 64 bytes, got {secretKey.Length}.");
        }

        var pair = FromSeed(secretKey[..32]);
        if (!pair.PublicKey.Span.SequenceEqual(secretKey[32..]))
        {
            throw new TonFormatException("The secret key's public half does not match its seed.");
        }

        return pair;
    }

    public static KeyPair Generate()
    {
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new KeyPair(key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Signs data (for wallets: a cell's representation hash). Ed25519 is deterministic.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var key = Key.Import(Ed25519, _seed, KeyBlobFormat.RawPrivateKey);
        return Ed25519.Sign(key, data);
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64)
        {
            return false;
        }

        return NSec.Cryptography.PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key)
               && key is not null
               && Ed25519.Verify(key, data, signature);
    }

    /// <summary>Shows only the public key: the seed must never reach a log.</summary>
    public override string ToString() => $"KeyPair(public {PublicKeyHex})";
}
