using Cocoon.Confidential.Attestation;
using static Cocoon.Confidential.Attestation.AttestationCheckNames;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>TCB level matching, statuses and convergence, on collateral signed by the test's own Intel-shaped PKI.</summary>
public sealed class TcbEvaluationTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private static byte[] Svns(params byte[] first) => [.. first, .. new byte[16 - first.Length]];

    // Two levels like Intel's: current microcode and TDX module, then an older one.
    private static readonly TestPki.Level[] Levels =
    [
        new(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 3), "UpToDate"),
        new(Svns(2, 2, 2, 2, 3, 1, 0, 5), 13, Svns(5, 0, 2), "OutOfDate"),
        new(Svns(1, 1, 1, 1, 1, 1, 0, 1), 5, Svns(1, 0, 1), "Revoked"),
    ];

    private AttestationResult Verify(byte[] quote, Cocoon.Confidential.Collateral.QuoteCollateral collateral, AttestationPolicy? policy = null) =>
        _pki.Verifier.Verify(quote, collateral, policy ?? AttestationPolicy.Default, TestPki.At);

    [Fact]
    public void A_current_platform_is_up_to_date()
    {
        var (quote, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 3));
        var result = Verify(quote, _pki.Collateral(Levels));
        Assert.True(result.Verified, result.FailureReason);
        Assert.Equal(TcbStatus.UpToDate, result.TcbStatus);
    }

    [Fact]
    public void An_older_platform_reports_out_of_date_and_only_a_lenient_policy_accepts_it()
    {
        var (quote, _) = _pki.Quote(Svns(2, 2, 2, 2, 3, 1, 0, 5), 13, Svns(5, 0, 3));
        var collateral = _pki.Collateral(Levels);
        var strict = Verify(quote, collateral);
        Assert.Equal(TcbStatus.OutOfDate, strict.TcbStatus);
        Assert.Equal(CheckOutcome.Pass, strict.Check(TcbLevel)!.Outcome);
        Assert.Equal(PolicyTcbStatus, strict.FirstFailure!.Name);
        Assert.True(Verify(quote, collateral, AttestationPolicy.Default with { MinimumTcbStatus = TcbStatus.OutOfDate }).Verified);
    }

    [Fact]
    public void An_old_tdx_module_svn_picks_the_lower_level()
    {
        var (quote, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 2));
        Assert.Equal(TcbStatus.OutOfDate, Verify(quote, _pki.Collateral(Levels)).TcbStatus);
    }

    [Fact]
    public void A_revoked_level_fails()
    {
        var (quote, _) = _pki.Quote(Svns(1, 1, 1, 1, 1, 1, 0, 1), 5, Svns(1, 0, 1));
        var result = Verify(quote, _pki.Collateral(Levels));
        Assert.Equal(TcbLevel, result.FirstFailure!.Name);
        Assert.Contains("Revoked", result.FirstFailure.Detail);
    }

    [Fact]
    public void A_platform_below_every_level_matches_none()
    {
        var (quote, _) = _pki.Quote(Svns(0, 0, 0, 0, 0, 0, 0, 0), 1, Svns(5, 0, 3));
        var result = Verify(quote, _pki.Collateral(Levels));
        Assert.Equal(TcbLevel, result.FirstFailure!.Name);
        Assert.Contains("no TCB level matches", result.FirstFailure.Detail);
    }

    [Fact]
    public void An_out_of_date_quoting_enclave_makes_the_platform_out_of_date()
    {
        var (quote, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 3), qeIsvSvn: 3);
        var result = Verify(quote, _pki.Collateral(Levels));
        Assert.Equal(CheckOutcome.Pass, result.Check(QeIdentityMatch)!.Outcome);
        Assert.Equal(TcbStatus.OutOfDate, result.TcbStatus);
    }

    [Fact]
    public void A_quoting_enclave_of_another_signer_fails_the_identity()
    {
        var (quote, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 3), qeMrSigner: new byte[32]);
        Assert.Equal(QeIdentityMatch, Verify(quote, _pki.Collateral(Levels)).FirstFailure!.Name);
    }

    [Fact]
    public void A_revoked_pck_certificate_fails()
    {
        var (quote, serial) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(5, 0, 3));
        var result = Verify(quote, _pki.Collateral(Levels, revokedPckSerial: serial));
        Assert.Equal(PckRevocation, result.FirstFailure!.Name);
        Assert.Contains("revoked", result.FirstFailure.Detail);
    }

    [Fact]
    public void The_tdx_module_identity_grades_the_module_svn_when_its_major_version_is_set()
    {
        const string modules = """
            [{"id":"TDX_01","mrsigner":"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
              "attributes":"0000000000000000","attributesMask":"FFFFFFFFFFFFFFFF",
              "tcbLevels":[{"tcb":{"isvsvn":6},"tcbDate":"2026-01-01T00:00:00Z","tcbStatus":"UpToDate"},
                           {"tcb":{"isvsvn":4},"tcbDate":"2025-01-01T00:00:00Z","tcbStatus":"OutOfDate"}]}]
            """;
        var collateral = _pki.Collateral(Levels, modules);
        // Module major 1: bytes 0 and 1 are the module's; byte 0 = 6 is current, 4 is out of date, 3 matches no module level.
        var (current, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(6, 1, 3));
        Assert.Equal(TcbStatus.UpToDate, Verify(current, collateral).TcbStatus);
        var (old, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(4, 1, 3));
        var oldResult = Verify(old, collateral);
        Assert.Equal(CheckOutcome.Pass, oldResult.Check(TdxModule)!.Outcome);
        Assert.Equal(TcbStatus.OutOfDate, oldResult.TcbStatus);
        var (unknown, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(3, 1, 3));
        Assert.Equal(TdxModule, Verify(unknown, collateral).FirstFailure!.Name);
        var (otherMajor, _) = _pki.Quote(Svns(3, 3, 2, 2, 4, 1, 0, 5), 13, Svns(6, 2, 3));
        Assert.Contains("TDX_02", Verify(otherMajor, collateral).FirstFailure!.Detail);
    }
}
