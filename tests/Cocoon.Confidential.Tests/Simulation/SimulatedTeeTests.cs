using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Simulation;
using Microsoft.Extensions.Time.Testing;
using static Cocoon.Confidential.Attestation.AttestationCheckNames;

namespace Cocoon.Confidential.Tests.Simulation;

public sealed class SimulatedTeeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly DevCertificateAuthority _ca;
    private readonly SimulatedTee _tee;
    private readonly NodeKeys _keys = NodeKeys.Generate();

    public SimulatedTeeTests()
    {
        _ca = DevCertificateAuthority.Create(_time);
        _tee = new SimulatedTee(_ca, time: _time);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _keys.Dispose();
    }

    private AttestationVerifier Verifier(AttestationPolicy policy) => new(new QuoteVerifier(_ca.CreateTrustAnchors()), null, policy, _time);

    [Fact]
    public async Task Simulated_evidence_verifies_under_a_policy_that_allows_it_and_binds_the_keys()
    {
        var evidence = _tee.CreateEvidence(_keys, version: 1);
        var result = await Verifier(AttestationPolicy.Development).VerifyAsync("node-1", evidence);
        Assert.True(result.Verified, result.FailureReason);
        Assert.True(result.Simulated);
        Assert.Equal(TcbStatus.Simulated, result.TcbStatus);
        Assert.Equal(CheckOutcome.Pass, result.Check(QuoteSignature)!.Outcome);
        Assert.Equal(CheckOutcome.Pass, result.Check(QeReportSignature)!.Outcome);
        Assert.Equal(CheckOutcome.Pass, result.Check(QeBindsAttestationKey)!.Outcome);
        Assert.Equal(CheckOutcome.Pass, result.Check(ReportData)!.Outcome);
        Assert.Equal(_keys.ReportData(), result.Quote!.Report.ReportData);
        Assert.Equal(SimulatedMeasurements.Default.MrTd, result.Quote.Report.MrTd);
    }

    [Fact]
    public async Task Simulated_evidence_is_refused_without_AllowSimulated()
    {
        var result = await Verifier(AttestationPolicy.Default).VerifyAsync("node-1", _tee.CreateEvidence(_keys, 1));
        Assert.False(result.Verified);
        Assert.Equal(Simulated, result.FirstFailure!.Name);
        Assert.Equal("simulated evidence refused by policy", result.FirstFailure.Detail);
    }

    [Fact]
    public async Task A_dev_root_that_is_not_pinned_is_refused()
    {
        var verifier = new AttestationVerifier(new QuoteVerifier(TrustAnchors.IntelOnly), null, AttestationPolicy.Development, _time);
        var result = await verifier.VerifyAsync("node-1", _tee.CreateEvidence(_keys, 1));
        Assert.False(result.Verified);
        Assert.Equal(PckChain, result.FirstFailure!.Name);
        Assert.Contains("not a pinned root", result.FirstFailure.Detail);
    }

    [Fact]
    public async Task Evidence_presenting_other_keys_fails_the_report_data_binding()
    {
        using var other = NodeKeys.Generate();
        var evidence = _tee.CreateEvidence(_keys, 1) with { X25519PublicKey = other.X25519PublicKey };
        var result = await Verifier(AttestationPolicy.Development).VerifyAsync("node-1", evidence);
        Assert.Equal(ReportData, result.FirstFailure!.Name);
    }

    [Fact]
    public async Task Old_evidence_fails_the_age_limit()
    {
        var evidence = _tee.CreateEvidence(_keys, 1);
        _time.Advance(TimeSpan.FromDays(2));
        var result = await Verifier(AttestationPolicy.Development).VerifyAsync("node-1", evidence);
        Assert.Equal(EvidenceAge, result.FirstFailure!.Name);
    }

    [Fact]
    public async Task A_debug_td_and_allowlists_are_enforced()
    {
        using var ca = DevCertificateAuthority.Create(_time);
        var debugTee = new SimulatedTee(ca, SimulatedMeasurements.Default with { Debug = true }, _time);
        var verifier = new AttestationVerifier(new QuoteVerifier(ca.CreateTrustAnchors()), null, AttestationPolicy.Development, _time);
        var debug = await verifier.VerifyAsync("n", debugTee.CreateEvidence(_keys, 1));
        Assert.Equal(Debug, debug.FirstFailure!.Name);

        var evidence = _tee.CreateEvidence(_keys, 1);
        var imageHash = Convert.ToHexStringLower(TdxQuote.Parse(evidence.Quote).Report.ComputeImageHash());
        var allowed = await Verifier(AttestationPolicy.Development with { AllowedImageHashes = new HashSet<string> { imageHash } }).VerifyAsync("n", evidence);
        Assert.True(allowed.Verified, allowed.FailureReason);
        var refused = await Verifier(AttestationPolicy.Development with { AllowedMrTd = new HashSet<string> { new string('0', 96) } }).VerifyAsync("n", evidence);
        Assert.Equal(MrTd, refused.FirstFailure!.Name);
    }

    [Fact]
    public void A_tampered_simulated_quote_is_rejected()
    {
        var quote = _tee.CreateQuote(_keys.ReportData());
        quote[48 + 136] ^= 1;
        var result = new QuoteVerifier(_ca.CreateTrustAnchors()).Verify(quote, null, AttestationPolicy.Development, _time.GetUtcNow());
        Assert.Equal(QuoteSignature, result.FirstFailure!.Name);
    }
}
