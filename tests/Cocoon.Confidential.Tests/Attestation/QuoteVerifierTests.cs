using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Xunit.Abstractions;
using static Cocoon.Confidential.Attestation.AttestationCheckNames;

namespace Cocoon.Confidential.Tests.Attestation;

public sealed class QuoteVerifierTests(ITestOutputHelper output)
{
    internal static readonly DateTimeOffset PhalaAt = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset OutdatedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset GoogleAt = new(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] SignatureChainAndCollateralChecks =
    [
        QuoteParse, QuoteSignature, PckChain, QeReportSignature, QeBindsAttestationKey, CollateralPresent, RootCrl, PckCrl,
        PckRevocation, TcbInfoCollateral, QeIdentityCollateral, Fmspc, QeIdentityMatch,
    ];

    private readonly QuoteVerifier _verifier = new(TrustAnchors.IntelOnly);

    internal static QuoteCollateral Phala() => CollateralLoader.Load(TestData.Tdx("phala.collateral.json"));

    private void Print(AttestationResult result)
    {
        foreach (var c in result.Checks)
        {
            output.WriteLine($"{c.Name,-28} {c.Outcome,-5} {c.Detail}");
        }
        output.WriteLine($"verified={result.Verified} status={result.TcbStatus}");
    }

    [Fact]
    public void Phala_quote_verifies_up_to_date()
    {
        var result = _verifier.Verify(TestData.Bytes("tdx", "phala.quote"), Phala(), AttestationPolicy.Default, PhalaAt);
        Print(result);
        Assert.True(result.Verified, result.FailureReason);
        Assert.Equal(TcbStatus.UpToDate, result.TcbStatus);
        Assert.False(result.Simulated);
        Assert.All(SignatureChainAndCollateralChecks.Append(TcbLevel).Append(TdxModule),
            name => Assert.Equal(CheckOutcome.Pass, result.Check(name)!.Outcome));
        Assert.Equal(4, result.Quote!.Version);
    }

    // The README calls this platform "outdated"; by Intel's level matching (TcbLevelCheck.cpp, and dcap-qvl agrees) its PCK
    // SGX component 8 (SEAMLDR ACM, SVN 3) is below every level of this TCB info (5), so no level matches and the quote is
    // rejected: there is no Intel status to report. Every signature, chain and collateral check passes.
    [Fact]
    public void Outdated_v5_quote_passes_every_signature_and_collateral_check_and_is_rejected()
    {
        var collateral = CollateralLoader.Load(TestData.Tdx("phala-outdated.collateral.json"));
        var result = _verifier.Verify(TestData.Bytes("tdx", "phala-outdated.quote"), collateral, AttestationPolicy.Default, OutdatedAt);
        Print(result);
        Assert.Equal(5, result.Quote!.Version);
        Assert.Equal(3, result.Quote.BodyType);
        Assert.NotNull(result.Quote.Report.TeeTcbSvn2);
        Assert.NotNull(result.Quote.Report.MrServiceTd);
        Assert.All(SignatureChainAndCollateralChecks.Append(TdxModule), name => Assert.Equal(CheckOutcome.Pass, result.Check(name)!.Outcome));
        Assert.False(result.Verified);
        Assert.NotEqual(TcbStatus.UpToDate, result.TcbStatus);
        Assert.Equal(TcbLevel, result.FirstFailure!.Name);
        Assert.Contains("component 8 is 3", result.FirstFailure.Detail);

        // Even the most lenient policy does not accept a platform below every known level.
        var lenient = _verifier.Verify(TestData.Bytes("tdx", "phala-outdated.quote"), collateral,
            AttestationPolicy.Default with { MinimumTcbStatus = TcbStatus.OutOfDateConfigurationNeeded }, OutdatedAt);
        Assert.False(lenient.Verified);
    }

    [Fact]
    public void Google_quote_passes_signatures_and_collateral_and_is_rejected_because_no_tcb_level_matches()
    {
        var collateral = CollateralLoader.Load(TestData.Path("tdx"));
        var result = _verifier.Verify(TestData.Bytes("tdx", "google-spr-e4.quote"), collateral, AttestationPolicy.Default, GoogleAt);
        Print(result);
        Assert.All(SignatureChainAndCollateralChecks, name => Assert.Equal(CheckOutcome.Pass, result.Check(name)!.Outcome));
        Assert.False(result.Verified);
        Assert.Equal(TcbLevel, result.FirstFailure!.Name);
        Assert.Contains("no TCB level matches", result.FirstFailure.Detail);
        Assert.Null(result.TcbStatus);
    }

    [Fact]
    public void Cocoon_quote_parses_and_its_image_hash_is_stable()
    {
        var quote = TdxQuote.Parse(TestData.Bytes("tdx", "cocoon.quote"));
        var hash = Convert.ToHexStringLower(quote.Report.ComputeImageHash());
        output.WriteLine($"cocoon.quote image hash: {hash}");
        Assert.Equal(4, quote.Version);
        Assert.All(quote.Report.Rtmrs[3], b => Assert.Equal(0, b));
        Assert.Equal(CocoonImageHash, hash);
    }

    // Printed by the test above on first run and pinned: SHA-256(mr_td‖mr_config_id‖mr_owner‖mr_owner_config‖rtmr0..3‖64 zeros).
    private const string CocoonImageHash = "04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436";

    [Theory]
    [InlineData(2025, 6, 1, "not valid yet")]
    [InlineData(2025, 8, 1, "expired")]
    public void Collateral_outside_its_window_is_rejected_with_the_reason(int year, int month, int day, string reason)
    {
        var at = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
        var result = _verifier.Verify(TestData.Bytes("tdx", "phala.quote"), Phala(), AttestationPolicy.Default, at);
        Print(result);
        Assert.False(result.Verified);
        Assert.Contains(result.Checks, c => c.Outcome == CheckOutcome.Fail && c.Detail.Contains(reason) && c.Name.StartsWith("collateral."));
    }

    [Fact]
    public void Missing_collateral_still_parses_and_says_collateral_is_missing()
    {
        var result = _verifier.Verify(TestData.Bytes("tdx", "phala.quote"), null, AttestationPolicy.Default, PhalaAt);
        Assert.False(result.Verified);
        Assert.Equal(CollateralPresent, result.FirstFailure!.Name);
        Assert.Equal(CheckOutcome.Pass, result.Check(QuoteSignature)!.Outcome);
        Assert.NotNull(result.ImageHash);
    }
}
