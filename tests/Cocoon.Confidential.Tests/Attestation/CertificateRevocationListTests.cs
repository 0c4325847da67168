using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Tests.Attestation;

public sealed class CertificateRevocationListTests
{
    [Fact]
    public void A_crl_built_by_dotnet_parses_with_its_revocations_window_and_signature()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var caRequest = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var revoked = new CertificateRequest("CN=Revoked", leafKey, HashAlgorithmName.SHA256).Create(ca, now.AddDays(-1), now.AddYears(1), [0x01, 0x23]);
        using var kept = new CertificateRequest("CN=Kept", leafKey, HashAlgorithmName.SHA256).Create(ca, now.AddDays(-1), now.AddYears(1), [0x04, 0x56]);

        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(revoked, now);
        var der = builder.Build(ca, BigInteger.One, now.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: now);

        foreach (var form in new[] { der, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(der)),
            System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", der)) })
        {
            var crl = CertificateRevocationList.Parse(form, "test CRL");
            Assert.True(crl.IsRevoked(revoked));
            Assert.False(crl.IsRevoked(kept));
            Assert.True(crl.IsSignedBy(ca));
            Assert.False(crl.IsSignedBy(kept));
            Assert.Equal(now.AddDays(30), crl.NextUpdate);
            Assert.Equal(now, crl.ThisUpdate);
        }
        var tampered = der.ToArray();
        tampered[^80] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() =>
        {
            if (!CertificateRevocationList.Parse(tampered, "test CRL").IsSignedBy(ca))
            {
                throw new CryptographicException("signature");
            }
        });
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse("not a crl"u8, "junk"));
    }

    [Fact]
    public void The_intel_root_crl_in_the_test_data_parses()
    {
        var crl = CertificateRevocationList.Parse(TestData.Bytes("tdx", "google-rootcrl.der"), "root CRL");
        Assert.Contains("Intel SGX Root CA", crl.Issuer.Name);
        Assert.NotNull(crl.NextUpdate);
    }
}
