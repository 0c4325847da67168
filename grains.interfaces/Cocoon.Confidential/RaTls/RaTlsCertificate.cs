using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cocoon.Confidential.RaTls;

/// <summary>
/// Issues RA-TLS certificates: a fresh ECDSA P-256 key, self-signed, usable for TLS server and client authentication,
/// with the TEE's quote over that key (<see cref="RaTlsEvidence.ReportDataFor"/>) in Cocoon's extensions
/// (<see cref="RaTlsOids"/>). Trust comes from the quote, not from the self-signature.
/// </summary>
public static class RaTlsCertificate
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A certificate valid from five minutes before <paramref name="now"/> for <paramref name="lifetime"/>, with its private key.</summary>
    public static X509Certificate2 Create(IQuoteSource tee, string subjectName, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("Cocoon RA-TLS");
        name.AddCommonName(subjectName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        // Whole milliseconds: the binding's GeneralizedTime and the REPORTDATA must agree exactly.
        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var spki = request.PublicKey.ExportSubjectPublicKeyInfo();
        var evidence = new RaTlsEvidence(tee.CreateQuote(RaTlsEvidence.ReportDataFor(spki, issuedAt)), issuedAt, spki);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        foreach (var extension in evidence.ToExtensions())
        {
            request.CertificateExtensions.Add(extension);
        }
        return request.CreateSelfSigned(issuedAt.AddMinutes(-5), issuedAt + lifetime);
    }
}
