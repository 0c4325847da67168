using System.Security.Cryptography;
using NSec.Cryptography;

namespace Cocoon.Confidential.Sealing;

/// <summary>Where sealing gets its randomness. Production uses the OS CSPRNG; the test-vector seam (internal) fixes it.</summary>
internal interface ISealingRandomness
{
    byte[] ContentKey();
    byte[] Nonce();
    Key EphemeralKey();
}

internal sealed class SystemSealingRandomness : ISealingRandomness
{
    public static SystemSealingRandomness Instance { get; } = new();

    public byte[] ContentKey() => RandomNumberGenerator.GetBytes(32);

    public byte[] Nonce() => RandomNumberGenerator.GetBytes(12);

    public Key EphemeralKey() => Key.Create(KeyAgreementAlgorithm.X25519);
}
