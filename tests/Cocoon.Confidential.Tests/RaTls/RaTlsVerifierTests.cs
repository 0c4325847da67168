using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.RaTls;
using Cocoon.Confidential.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Confidential.Tests.RaTls;

public sealed class RaTlsVerifierTests : IDisposable
{
    private readonly FakeTimeProvider _time;
    private readonly DevCertificateAuthority _ca;

    public RaTlsVerifierTests()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _ca = DevCertificateAuthority.Create(_time);
    }

    public void Dispose() => _ca.Dispose();

    private RaTlsVerifier Verifier(AttestationPolicy policy) => new(new QuoteVerifier(_ca.CreateTrustAnchors()), policy, null, _time);

    private X509Certificate2 Issue() => RaTlsCertificate.Create(new SimulatedTee(_ca, time: _time), "worker", _time.GetUtcNow(), TimeSpan.FromDays(1));

    [Fact]
    public void Certificate_carries_quote_bound_to_its_key_and_verifies_under_allow_simulated()
    {
        using var certificate = Issue();
        Assert.True(certificate.HasPrivateKey);
        var evidence = RaTlsEvidence.FromCertificate(certificate)!;
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), evidence.SubjectPublicKeyInfo);
        Assert.Equal(evidence.ExpectedReportData(), TdxQuote.Parse(evidence.Quote).Report.ReportData);

        // What a peer sees: the certificate without its private key.
        using var presented = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var result = Verifier(AttestationPolicy.Development).Verify(presented);
        Assert.True(result.Verified, result.FailureReason);
        Assert.True(result.Simulated);
        Assert.Equal(CheckOutcome.Pass, result.Check(AttestationCheckNames.ReportData)!.Outcome);
    }

    [Fact]
    public void Every_millisecond_of_issue_reads_back_exactly_and_verifies()
    {
        // The binding's issued-at is a GeneralizedTime with a fraction; .NET's reader returned "….346Z" one tick short,
        // so REPORTDATA (over whole milliseconds) mismatched for about one certificate in six.
        var verifier = Verifier(AttestationPolicy.Development);
        var tee = new SimulatedTee(_ca, time: _time);
        for (var ms = 0; ms < 1000; ms++)
        {
            var issuedAt = _time.GetUtcNow();
            using var certificate = RaTlsCertificate.Create(tee, "worker", issuedAt, TimeSpan.FromDays(1));
            Assert.Equal(issuedAt, RaTlsEvidence.FromCertificate(certificate)!.IssuedAt);
            var result = verifier.Verify(certificate);
            Assert.True(result.Verified, $"issued at {issuedAt:O}: {result.FailureReason}");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void Simulated_evidence_is_refused_without_allow_simulated()
    {
        using var certificate = Issue();
        var result = Verifier(AttestationPolicy.Development with { AllowSimulated = false }).Verify(certificate);
        Assert.False(result.Verified);
        Assert.Equal(AttestationCheckNames.Simulated, result.FirstFailure!.Name);
    }

    [Fact]
    public void Quote_moved_to_a_certificate_with_another_key_is_refused()
    {
        using var genuine = Issue();
        var evidence = RaTlsEvidence.FromCertificate(genuine)!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=impostor", key, HashAlgorithmName.SHA256);
        // Copies the genuine extensions verbatim: the binding names the genuine key.
        foreach (var extension in evidence.ToExtensions())
        {
            request.CertificateExtensions.Add(extension);
        }
        using var impostor = request.CreateSelfSigned(_time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddDays(1));
        var result = Verifier(AttestationPolicy.Development).Verify(impostor);
        Assert.False(result.Verified);
        Assert.Equal(AttestationCheckNames.RaTlsCertificate, result.FirstFailure!.Name);

        // And the binding rewritten for the impostor's key: REPORTDATA no longer matches.
        var request2 = new CertificateRequest("CN=impostor", key, HashAlgorithmName.SHA256);
        foreach (var extension in (evidence with { SubjectPublicKeyInfo = request2.PublicKey.ExportSubjectPublicKeyInfo() }).ToExtensions())
        {
            request2.CertificateExtensions.Add(extension);
        }
        using var rebound = request2.CreateSelfSigned(_time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddDays(1));
        var rebinding = Verifier(AttestationPolicy.Development).Verify(rebound);
        Assert.Equal(AttestationCheckNames.ReportData, rebinding.FirstFailure!.Name);
    }

    [Fact]
    public void Certificate_without_evidence_or_with_a_corrupt_quote_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var plain = new CertificateRequest("CN=plain", key, HashAlgorithmName.SHA256).CreateSelfSigned(_time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddDays(1));
        Assert.Equal(AttestationCheckNames.RaTlsCertificate, Verifier(AttestationPolicy.Development).Verify(plain).FirstFailure!.Name);

        using var genuine = Issue();
        var evidence = RaTlsEvidence.FromCertificate(genuine)!;
        var corrupt = evidence.Quote.ToArray();
        corrupt[700] ^= 0x01;
        var request = new CertificateRequest("CN=corrupt", key, HashAlgorithmName.SHA256);
        var spki = request.PublicKey.ExportSubjectPublicKeyInfo();
        foreach (var extension in new RaTlsEvidence(corrupt, evidence.IssuedAt, spki).ToExtensions())
        {
            request.CertificateExtensions.Add(extension);
        }
        using var tampered = request.CreateSelfSigned(_time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddDays(1));
        Assert.False(Verifier(AttestationPolicy.Development).Verify(tampered).Verified);
    }

    [Fact]
    public void Verdicts_are_cached_and_expire_with_the_evidence_age()
    {
        using var certificate = Issue();
        var verifier = Verifier(AttestationPolicy.Development);
        var first = verifier.Verify(certificate);
        Assert.Same(first, verifier.Verify(certificate));

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var late = verifier.Verify(certificate);
        Assert.False(late.Verified);
    }

    [Fact]
    public void Intel_quote_without_local_collateral_is_refused_until_fetched()
    {
        // A quote that chains to Intel needs collateral; the source answers later, so the first handshake is refused.
        var source = new SlowCollateral();
        var local = new LocalCollateral(source, _time);
        var request = new CollateralRequest([1, 2, 3, 4, 5, 6], "platform");
        Assert.Null(local.TryGet(request, out var reason));
        Assert.Contains("being fetched", reason);
        Assert.Equal(1, source.Calls);
        Assert.Null(local.TryGet(request, out _));
        Assert.Equal(1, source.Calls);

        var collateral = CollateralLoader.Load(TestData.Tdx("phala.collateral.json"));
        source.Complete(collateral);
        Assert.Same(collateral, local.TryGet(request, out reason));
        Assert.Null(reason);
        Assert.Same(collateral, local.TryGet(request, out _));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public void A_refusal_for_collateral_still_being_fetched_is_not_cached()
    {
        // phala.quote chains to Intel; in a certificate whose key it does not bind, the verdict after collateral arrives
        // is the binding check, not the earlier "collateral is missing".
        var at = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(at);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=intel worker", key, HashAlgorithmName.SHA256);
        foreach (var extension in new RaTlsEvidence(TestData.Bytes("tdx", "phala.quote"), at, request.PublicKey.ExportSubjectPublicKeyInfo()).ToExtensions())
        {
            request.CertificateExtensions.Add(extension);
        }
        using var certificate = request.CreateSelfSigned(at.AddMinutes(-1), at.AddDays(1));
        var source = new SlowCollateral();
        var verifier = new RaTlsVerifier(new QuoteVerifier(TrustAnchors.IntelOnly), AttestationPolicy.Default, new LocalCollateral(source, time), time);

        var first = verifier.Verify(certificate);
        Assert.Equal(AttestationCheckNames.CollateralPresent, first.FirstFailure!.Name);
        source.Complete(CollateralLoader.Load(TestData.Tdx("phala.collateral.json")));
        var second = verifier.Verify(certificate);
        Assert.Equal(CheckOutcome.Pass, second.Check(AttestationCheckNames.TcbInfoCollateral)!.Outcome);
        Assert.Equal(AttestationCheckNames.ReportData, second.FirstFailure!.Name);
    }

    private sealed class SlowCollateral : ICollateralProvider
    {
        private readonly TaskCompletionSource<QuoteCollateral> _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls { get; private set; }

        public ValueTask<QuoteCollateral> GetCollateralAsync(CollateralRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            return new ValueTask<QuoteCollateral>(_pending.Task);
        }

        public void Complete(QuoteCollateral collateral) => _pending.SetResult(collateral);
    }
}
