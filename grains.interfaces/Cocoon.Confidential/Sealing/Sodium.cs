using System.Runtime.InteropServices;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// The few libsodium calls sealing needs, on spans: NSec (which ships this libsodium) wraps every key and shared secret
/// in guarded heap pages (sodium_malloc: mmap, mprotect, mlock per object), which cost more than the X25519 arithmetic
/// for short-lived per-message keys. Here ephemeral scalars and shared secrets live on the stack and are wiped.
/// </summary>
internal static partial class Sodium
{
    private const string Library = "libsodium";

    static Sodium()
    {
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("libsodium failed to initialize");
        }
    }

    /// <summary>X25519(scalar, point); false when the result is all zeros (a low-order point).</summary>
    public static bool ScalarMult(Span<byte> shared, ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point)
    {
        Check(shared, 32, scalar, 32, point, 32);
        return crypto_scalarmult_curve25519(ref MemoryMarshal.GetReference(shared), in MemoryMarshal.GetReference(scalar), in MemoryMarshal.GetReference(point)) == 0;
    }

    /// <summary>The X25519 public key of <paramref name="scalar"/>.</summary>
    public static void ScalarMultBase(Span<byte> publicKey, ReadOnlySpan<byte> scalar)
    {
        Check(publicKey, 32, scalar, 32, scalar, 32);
        if (crypto_scalarmult_curve25519_base(ref MemoryMarshal.GetReference(publicKey), in MemoryMarshal.GetReference(scalar)) != 0)
        {
            throw new InvalidOperationException("X25519 base-point multiplication failed");
        }
    }

    /// <summary>ChaCha20-Poly1305 (IETF, 96-bit nonce) with a detached 16-byte tag, as RFC 8439.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        Check(key, 32, nonce, 12, tag, 16);
        if (ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException("ciphertext and plaintext lengths differ");
        }
        crypto_aead_chacha20poly1305_ietf_encrypt_detached(
            ref MemoryMarshal.GetReference(ciphertext), ref MemoryMarshal.GetReference(tag), out _,
            in MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length, in MemoryMarshal.GetReference(aad), (ulong)aad.Length,
            IntPtr.Zero, in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key));
    }

    /// <summary>False when the tag does not authenticate (then <paramref name="plaintext"/> is zeroed).</summary>
    public static bool Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        Check(key, 32, nonce, 12, tag, 16);
        if (ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException("ciphertext and plaintext lengths differ");
        }
        var ok = crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            ref MemoryMarshal.GetReference(plaintext), IntPtr.Zero, in MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            in MemoryMarshal.GetReference(tag), in MemoryMarshal.GetReference(aad), (ulong)aad.Length,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key)) == 0;
        if (!ok)
        {
            plaintext.Clear();
        }
        return ok;
    }

    /// <summary>HKDF-SHA256 (RFC 5869) into <paramref name="okm"/> (at most 32 × 255 bytes).</summary>
    public static void Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> okm)
    {
        Span<byte> prk = stackalloc byte[32];
        try
        {
            if (crypto_kdf_hkdf_sha256_extract(ref MemoryMarshal.GetReference(prk), in MemoryMarshal.GetReference(salt), (nuint)salt.Length,
                    in MemoryMarshal.GetReference(ikm), (nuint)ikm.Length) != 0
                || crypto_kdf_hkdf_sha256_expand(ref MemoryMarshal.GetReference(okm), (nuint)okm.Length, in MemoryMarshal.GetReference(info), (nuint)info.Length,
                    in MemoryMarshal.GetReference(prk)) != 0)
            {
                throw new InvalidOperationException("HKDF-SHA256 failed");
            }
        }
        finally
        {
            prk.Clear();
        }
    }

    private static void Check(ReadOnlySpan<byte> a, int aLength, ReadOnlySpan<byte> b, int bLength, ReadOnlySpan<byte> c, int cLength)
    {
        if (a.Length != aLength || b.Length != bLength || c.Length != cLength)
        {
            throw new ArgumentException("wrong key, nonce or tag size");
        }
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial int crypto_scalarmult_curve25519(ref byte q, in byte n, in byte p);

    [LibraryImport(Library)]
    private static partial int crypto_scalarmult_curve25519_base(ref byte q, in byte n);

    [LibraryImport(Library)]
    private static partial int crypto_aead_chacha20poly1305_ietf_encrypt_detached(ref byte c, ref byte mac, out ulong macLength, in byte m, ulong mLength,
        in byte ad, ulong adLength, IntPtr nsec, in byte npub, in byte k);

    [LibraryImport(Library)]
    private static partial int crypto_aead_chacha20poly1305_ietf_decrypt_detached(ref byte m, IntPtr nsec, in byte c, ulong cLength, in byte mac,
        in byte ad, ulong adLength, in byte npub, in byte k);

    [LibraryImport(Library)]
    private static partial int crypto_kdf_hkdf_sha256_extract(ref byte prk, in byte salt, nuint saltLength, in byte ikm, nuint ikmLength);

    [LibraryImport(Library)]
    private static partial int crypto_kdf_hkdf_sha256_expand(ref byte output, nuint outputLength, in byte ctx, nuint ctxLength, in byte prk);
}
