using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.Simulation;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>
/// An Intel-shaped PKI of the test's own (root, PCK platform CA, PCK certificate with the SGX extension, TCB signing
/// certificate, CRLs, signed TCB info and QE identity), pinned in Intel's place through the internal anchor seam, so the
/// TCB evaluation can be exercised on levels and statuses the real test data does not have.
/// </summary>
internal sealed class TestPki : IDisposable
{
    public static readonly DateTimeOffset At = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly byte[] Fmspc = [0x90, 0xC0, 0x6F, 0, 0, 0];
    public static readonly byte[] QeMrSigner = SHA256.HashData("test qe signer"u8);
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _platformKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _tcbSigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _attestationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _platform;
    private readonly X509Certificate2 _tcbSigning;

    public TestPki()
    {
        _root = Ca("CN=Test SGX Root CA", _rootKey, null);
        _platform = Ca("CN=Test SGX PCK Platform CA", _platformKey, _root);
        var tcbRequest = new CertificateRequest("CN=Test SGX TCB Signing", _tcbSigningKey, HashAlgorithmName.SHA256);
        _tcbSigning = tcbRequest.Create(_root, NotBefore, NotBefore.AddYears(5), [0x33]);
    }

    public TrustAnchors Anchors => new(TrustAnchors.KeyIdOf(_root), null);

    public QuoteVerifier Verifier => new(Anchors);

    public void Dispose()
    {
        foreach (var d in new IDisposable[] { _rootKey, _platformKey, _tcbSigningKey, _attestationKey, _root, _platform, _tcbSigning })
        {
            d.Dispose();
        }
    }

    /// <summary>A quote from a platform with these PCK SGX SVNs and PCESVN, and this TEE_TCB_SVN; the PCK certificate's serial is returned for revocation.</summary>
    public (byte[] Quote, byte[] PckSerial) Quote(byte[] sgxSvns, int pceSvn, byte[] teeTcbSvn, ushort qeIsvSvn = 4, byte[]? qeMrSigner = null)
    {
        using var pckKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test SGX PCK Certificate", pckKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(PckExtension.Oid, PckExtension.Encode(sgxSvns, pceSvn, [0, 0], Fmspc), false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var pck = request.Create(_platform, NotBefore, NotBefore.AddYears(5), serial);
        var chain = pck.ExportCertificatePem() + "\n" + _platform.ExportCertificatePem() + "\n" + _root.ExportCertificatePem() + "\n";
        var qe = new QeReportFields(qeMrSigner ?? QeMrSigner, 2, qeIsvSvn, Convert.FromHexString("11000000000000000000000000000000"), 0);
        var quote = QuoteBuilder.Build(_attestationKey, pckKey, chain, SimulatedMeasurements.Default, new byte[64], teeTcbSvn, qe,
            Convert.FromHexString("939A7233F79C4CA9940A0DB3957F0607"));
        return (quote, serial);
    }

    public sealed record Level(byte[] Sgx, int PceSvn, byte[] Tdx, string Status);

    public QuoteCollateral Collateral(IEnumerable<Level> levels, string? moduleIdentities = null, byte[]? revokedPckSerial = null)
    {
        static string Components(byte[] svns) => "[" + string.Join(",", svns.Select(s => $"{{\"svn\":{s}}}")) + "]";
        var zero48 = new string('0', 96);
        var tcbInfo = "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2026-05-20T00:00:00Z\",\"nextUpdate\":\"2026-06-20T00:00:00Z\","
            + $"\"fmspc\":\"{Convert.ToHexString(Fmspc)}\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":18,"
            + $"\"tdxModule\":{{\"mrsigner\":\"{zero48}\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"}},"
            + (moduleIdentities is null ? "" : $"\"tdxModuleIdentities\":{moduleIdentities},")
            + "\"tcbLevels\":[" + string.Join(",", levels.Select(l =>
                $"{{\"tcb\":{{\"sgxtcbcomponents\":{Components(l.Sgx)},\"pcesvn\":{l.PceSvn},\"tdxtcbcomponents\":{Components(l.Tdx)}}},"
                + $"\"tcbDate\":\"2026-01-01T00:00:00Z\",\"tcbStatus\":\"{l.Status}\"}}")) + "]}";
        var qeIdentity = "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2026-05-20T00:00:00Z\",\"nextUpdate\":\"2026-06-20T00:00:00Z\","
            + "\"tcbEvaluationDataNumber\":18,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
            + "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\","
            + $"\"mrsigner\":\"{Convert.ToHexString(QeMrSigner)}\",\"isvprodid\":2,"
            + "\"tcbLevels\":[{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"2026-01-01T00:00:00Z\",\"tcbStatus\":\"UpToDate\"},"
            + "{\"tcb\":{\"isvsvn\":2},\"tcbDate\":\"2025-01-01T00:00:00Z\",\"tcbStatus\":\"OutOfDate\"}]}";
        var tcbBytes = Encoding.UTF8.GetBytes(tcbInfo);
        var qeBytes = Encoding.UTF8.GetBytes(qeIdentity);

        var rootCrl = new CertificateRevocationListBuilder().Build(_root, BigInteger.One, At.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: At.AddDays(-1));
        var pckCrlBuilder = new CertificateRevocationListBuilder();
        if (revokedPckSerial is not null)
        {
            pckCrlBuilder.AddEntry(revokedPckSerial, At.AddDays(-2));
        }
        var pckCrl = pckCrlBuilder.Build(_platform, BigInteger.One, At.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: At.AddDays(-1));
        var rootPem = _root.ExportCertificatePem();
        return new QuoteCollateral(
            PckCrlIssuerChain: _platform.ExportCertificatePem() + "\n" + rootPem,
            RootCaCrl: rootCrl,
            PckCrl: pckCrl,
            TcbInfoIssuerChain: _tcbSigning.ExportCertificatePem() + "\n" + rootPem,
            TcbInfoJson: tcbBytes,
            TcbInfoSignature: _tcbSigningKey.SignData(tcbBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            QeIdentityIssuerChain: _tcbSigning.ExportCertificatePem() + "\n" + rootPem,
            QeIdentityJson: qeBytes,
            QeIdentitySignature: _tcbSigningKey.SignData(qeBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static X509Certificate2 Ca(string name, ECDsa key, X509Certificate2? issuer)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(NotBefore, NotBefore.AddYears(10));
        }
        using var cert = request.Create(issuer, NotBefore, NotBefore.AddYears(10), [0x22]);
        return cert.CopyWithPrivateKey(key);
    }
}
