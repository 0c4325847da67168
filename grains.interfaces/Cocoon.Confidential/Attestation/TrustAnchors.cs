using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// The roots a certificate chain may end at, pinned by key id (SHA-384 of the uncompressed public key 0x04‖X‖Y).
/// Pinning the key, not a file, is what lets collateral come from an untrusted cache.
/// </summary>
public sealed class TrustAnchors
{
    /// <summary>
    /// Intel SGX Root CA key id, as published by Intel (SGX/TDX DCAP "Intel SGX Root CA" certificate,
    /// https://certificates.trustedservices.intel.com/Intel_SGX_Provisioning_Certification_RootCA.pem).
    /// </summary>
    public const string IntelSgxRootKeyIdHex =
        "46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993";

    private readonly byte[] _intel;
    private readonly List<byte[]> _simulated;

    public TrustAnchors(IEnumerable<byte[]>? simulatedRootKeyIds = null)
        : this(Convert.FromHexString(IntelSgxRootKeyIdHex), simulatedRootKeyIds)
    {
    }

    /// <summary>Test seam: another key in Intel's place, so tests can sign their own TCB info, CRLs and PCK certificates.</summary>
    internal TrustAnchors(byte[] intelRootKeyId, IEnumerable<byte[]>? simulatedRootKeyIds)
    {
        _intel = intelRootKeyId.ToArray();
        _simulated = simulatedRootKeyIds?.Select(k => k.ToArray()).ToList() ?? [];
    }

    /// <summary>Intel's root only: production.</summary>
    public static TrustAnchors IntelOnly { get; } = new();

    public IReadOnlyList<byte[]> SimulatedRootKeyIds => _simulated;

    public bool IsIntelRoot(ReadOnlySpan<byte> keyId) => keyId.SequenceEqual(_intel);

    public bool IsSimulatedRoot(ReadOnlySpan<byte> keyId)
    {
        foreach (var id in _simulated)
        {
            if (keyId.SequenceEqual(id))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>SHA-384 of the certificate's uncompressed EC public key (0x04‖X‖Y).</summary>
    public static byte[] KeyIdOf(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPublicKey()
            ?? throw new CryptographicException($"certificate '{certificate.Subject}' has no EC public key");
        return KeyIdOf(key);
    }

    public static byte[] KeyIdOf(ECDsa key)
    {
        var p = key.ExportParameters(false);
        var point = new byte[1 + p.Q.X!.Length + p.Q.Y!.Length];
        point[0] = 0x04;
        p.Q.X.CopyTo(point, 1);
        p.Q.Y.CopyTo(point, 1 + p.Q.X.Length);
        return SHA384.HashData(point);
    }
}
