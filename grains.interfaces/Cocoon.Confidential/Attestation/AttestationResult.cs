namespace Cocoon.Confidential.Attestation;

/// <summary>The verdict on one quote: every check with its outcome, the TCB status, and the parsed quote when it parsed.</summary>
public sealed class AttestationResult
{
    public AttestationResult(IReadOnlyList<AttestationCheck> checks, TcbStatus? tcbStatus, TdxQuote? quote, bool simulated, DateTimeOffset verifiedAt)
    {
        Checks = checks;
        TcbStatus = tcbStatus;
        Quote = quote;
        Simulated = simulated;
        VerifiedAt = verifiedAt;
        FirstFailure = checks.FirstOrDefault(c => c.Outcome == CheckOutcome.Fail);
        ImageHash = quote?.Report.ComputeImageHash();
    }

    /// <summary>True when no check failed.</summary>
    public bool Verified => FirstFailure is null;
    public IReadOnlyList<AttestationCheck> Checks { get; }
    public AttestationCheck? FirstFailure { get; }
    /// <summary>"check-name: detail" of the first failed check, or null.</summary>
    public string? FailureReason => FirstFailure is { } f ? $"{f.Name}: {f.Detail}" : null;
    public TcbStatus? TcbStatus { get; }
    public TdxQuote? Quote { get; }
    public byte[]? ImageHash { get; }
    public bool Simulated { get; }
    public DateTimeOffset VerifiedAt { get; }

    public AttestationCheck? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);
}
