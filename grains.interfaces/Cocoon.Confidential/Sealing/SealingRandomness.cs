using System.Security.Cryptography;

namespace Cocoon.Confidential.Sealing;

/// <summary>Where sealing gets its randomness. Production uses the OS CSPRNG; the test-vector seam (internal) fixes it.</summary>
internal interface ISealingRandomness
{
    byte[] ContentKey();
    byte[] Nonce();
    /// <summary>Fills a fresh X25519 private scalar (32 bytes).</summary>
    void EphemeralPrivateKey(Span<byte> scalar);
}

internal sealed class SystemSealingRandomness : ISealingRandomness
{
    public static SystemSealingRandomness Instance { get; } = new();

    public byte[] ContentKey() => RandomNumberGenerator.GetBytes(32);

    public byte[] Nonce() => RandomNumberGenerator.GetBytes(12);

    public void EphemeralPrivateKey(Span<byte> scalar) => RandomNumberGenerator.Fill(scalar);
}
