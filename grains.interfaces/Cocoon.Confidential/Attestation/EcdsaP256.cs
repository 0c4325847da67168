using System.Security.Cryptography;

namespace Cocoon.Confidential.Attestation;

/// <summary>ECDSA P-256 / SHA-256 with the raw encodings quotes and collateral use: keys as X‖Y, signatures as r‖s.</summary>
internal static class EcdsaP256
{
    public static ECDsa ImportRawPublicKey(ReadOnlySpan<byte> xy)
    {
        if (xy.Length != 64)
        {
            throw new CryptographicException($"a P-256 public key is 64 bytes (X‖Y), got {xy.Length}");
        }
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = xy[..32].ToArray(), Y = xy[32..].ToArray() },
        });
    }

    public static bool VerifyRaw(ReadOnlySpan<byte> rawPublicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ImportRawPublicKey(rawPublicKey);
        return VerifyRaw(key, data, signature);
    }

    public static bool VerifyRaw(ECDsa key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static byte[] ExportRawPublicKey(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return [.. p.Q.X!, .. p.Q.Y!];
    }

    public static byte[] SignRaw(ECDsa key, ReadOnlySpan<byte> data) =>
        key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
