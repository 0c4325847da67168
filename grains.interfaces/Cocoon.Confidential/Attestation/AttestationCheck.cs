namespace Cocoon.Confidential.Attestation;

public enum CheckOutcome
{
    Pass,
    Fail,
    Skip,
}

/// <summary>One named verification step and what it found; a result lists every step, so a rejection says exactly which one failed.</summary>
public sealed record AttestationCheck(string Name, CheckOutcome Outcome, string Detail);
