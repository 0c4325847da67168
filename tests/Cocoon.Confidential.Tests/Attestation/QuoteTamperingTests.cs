using Cocoon.Confidential.Attestation;
using static Cocoon.Confidential.Attestation.AttestationCheckNames;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>Flipping a byte of anything signed gets the quote rejected, by the check that covers that byte.</summary>
public sealed class QuoteTamperingTests
{
    private static readonly byte[] Quote = TestData.Bytes("tdx", "phala.quote");
    private readonly QuoteVerifier _verifier = new(TrustAnchors.IntelOnly);

    private AttestationResult VerifyFlipped(int offset, byte mask = 0x01)
    {
        var copy = Quote.ToArray();
        copy[offset] ^= mask;
        return _verifier.Verify(copy, QuoteVerifierTests.Phala(), AttestationPolicy.Default, QuoteVerifierTests.PhalaAt);
    }

    private static int SignatureData => 48 + 584 + 4;
    private static int QeReport => SignatureData + 64 + 64 + 6;
    private static int PckChainOffset => QeReport + 384 + 64 + 2 + 32 + 6;

    [Theory]
    [InlineData(12, "header: QE SVN")]
    [InlineData(30, "header: QE vendor id")]
    [InlineData(48 + 136, "body: MRTD")]
    [InlineData(48 + 520 + 1, "body: REPORTDATA")]
    public void A_flipped_header_or_body_byte_fails_the_quote_signature(int offset, string what)
    {
        var result = VerifyFlipped(offset);
        Assert.False(result.Verified, what);
        Assert.Equal(QuoteSignature, result.FirstFailure!.Name);
    }

    [Fact]
    public void A_flipped_quote_signature_fails_the_quote_signature()
    {
        var result = VerifyFlipped(SignatureData + 10);
        Assert.Equal(QuoteSignature, result.FirstFailure!.Name);
    }

    [Fact]
    public void A_flipped_attestation_key_fails_the_quote_signature_and_the_qe_binding()
    {
        var result = VerifyFlipped(SignatureData + 64 + 5);
        Assert.False(result.Verified);
        Assert.Equal(CheckOutcome.Fail, result.Check(QeBindsAttestationKey)!.Outcome);
        Assert.Equal(CheckOutcome.Fail, result.Check(QuoteSignature)!.Outcome);
    }

    [Fact]
    public void A_flipped_qe_report_byte_fails_the_qe_report_signature()
    {
        var result = VerifyFlipped(QeReport + 258); // ISVSVN
        Assert.False(result.Verified);
        Assert.Equal(QeReportSignature, result.FirstFailure!.Name);
    }

    [Fact]
    public void A_flipped_qe_report_signature_fails_it()
    {
        var result = VerifyFlipped(QeReport + 384 + 3);
        Assert.Equal(QeReportSignature, result.FirstFailure!.Name);
    }

    [Fact]
    public void A_flipped_qe_auth_data_byte_breaks_the_attestation_key_binding()
    {
        var result = VerifyFlipped(QeReport + 384 + 64 + 2 + 4);
        Assert.Equal(QeBindsAttestationKey, result.FirstFailure!.Name);
    }

    [Fact]
    public void A_changed_pck_certificate_byte_fails_the_chain()
    {
        // Inside the base64 of the PCK certificate's TBS: swap one base64 letter for another.
        var offset = PckChainOffset + 200;
        var copy = Quote.ToArray();
        copy[offset] = copy[offset] == (byte)'A' ? (byte)'B' : (byte)'A';
        var result = _verifier.Verify(copy, QuoteVerifierTests.Phala(), AttestationPolicy.Default, QuoteVerifierTests.PhalaAt);
        Assert.False(result.Verified);
        Assert.Equal(AttestationCheckNames.PckChain, result.FirstFailure!.Name);
    }

    [Fact]
    public void Tampered_tcb_info_fails_its_signature()
    {
        var collateral = QuoteVerifierTests.Phala();
        var json = collateral.TcbInfoJson.ToArray();
        var at = System.Text.Encoding.ASCII.GetString(json).IndexOf("\"pcesvn\":11", StringComparison.Ordinal);
        json[at + 10] = (byte)'0';
        var result = _verifier.Verify(Quote, collateral with { TcbInfoJson = json }, AttestationPolicy.Default, QuoteVerifierTests.PhalaAt);
        Assert.Equal(TcbInfoCollateral, result.FirstFailure!.Name);
        Assert.Contains("signature", result.FirstFailure.Detail);
    }

    [Fact]
    public void Collateral_of_another_platform_fails_the_fmspc_match()
    {
        var other = Cocoon.Confidential.Collateral.CollateralLoader.Load(TestData.Tdx("phala-outdated.collateral.json"));
        var result = _verifier.Verify(Quote, other, AttestationPolicy.Default, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.False(result.Verified);
        Assert.Equal(CheckOutcome.Fail, result.Check(Fmspc)!.Outcome);
    }
}
