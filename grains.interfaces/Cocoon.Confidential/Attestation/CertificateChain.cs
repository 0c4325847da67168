using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cocoon.Confidential.Attestation;

/// <summary>A PEM certificate chain, leaf first, root last, checked by hand: signatures, names, validity windows and a pinned root.</summary>
public static class CertificateChain
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    /// <summary>Parses every certificate in a PEM text; the chain order is the text's order.</summary>
    public static X509Certificate2[] ParsePem(string pem, string what)
    {
        var certificates = new List<X509Certificate2>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            rest = rest[fields.Location.End..];
        }
        if (certificates.Count == 0)
        {
            throw new CryptographicException($"{what}: no PEM certificate found");
        }
        return [.. certificates];
    }

    /// <summary>
    /// Checks each certificate is signed by the next one, names chain, all are valid at <paramref name="at"/>, and the
    /// last one is self-signed by a pinned root. Returns null when it holds, else why not; sets whether the root is simulated.
    /// </summary>
    public static string? Verify(IReadOnlyList<X509Certificate2> chain, TrustAnchors anchors, DateTimeOffset at, out bool simulatedRoot)
    {
        simulatedRoot = false;
        if (chain.Count == 0)
        {
            return "empty certificate chain";
        }
        for (var i = 0; i < chain.Count; i++)
        {
            var cert = chain[i];
            if (at < cert.NotBefore.ToUniversalTime() || at > cert.NotAfter.ToUniversalTime())
            {
                return $"certificate '{cert.Subject}' is not valid at {at:O} (valid {cert.NotBefore.ToUniversalTime():O} .. {cert.NotAfter.ToUniversalTime():O})";
            }
            var issuer = i + 1 < chain.Count ? chain[i + 1] : cert;
            if (!cert.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                return $"certificate '{cert.Subject}' names issuer '{cert.Issuer}' but the next certificate is '{issuer.Subject}'";
            }
            if (!IsSignedBy(cert, issuer))
            {
                return $"certificate '{cert.Subject}' is not signed by '{issuer.Subject}'";
            }
        }
        var keyId = TrustAnchors.KeyIdOf(chain[^1]);
        if (anchors.IsIntelRoot(keyId))
        {
            return null;
        }
        if (anchors.IsSimulatedRoot(keyId))
        {
            simulatedRoot = true;
            return null;
        }
        return $"root '{chain[^1].Subject}' (key id {Convert.ToHexStringLower(keyId)}) is not a pinned root";
    }

    /// <summary>Verifies an ECDSA-SHA256 certificate signature with the issuer's key, from the DER (no platform chain engine).</summary>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        using var key = issuer.GetECDsaPublicKey();
        return key is not null && IsSignedBy(certificate.RawData, key);
    }

    internal static bool IsSignedBy(byte[] signedDer, ECDsa key)
    {
        try
        {
            var outer = new AsnReader(signedDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != EcdsaWithSha256)
            {
                return false;
            }
            var signature = outer.ReadBitString(out _);
            return key.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
