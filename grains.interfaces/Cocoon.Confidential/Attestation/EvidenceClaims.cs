namespace Cocoon.Confidential.Attestation;

/// <summary>What the presenter of a quote claims beside it: the REPORTDATA its keys imply, and when the quote was produced.</summary>
public sealed record EvidenceClaims(byte[]? ExpectedReportData, DateTimeOffset? IssuedAt)
{
    public static EvidenceClaims None { get; } = new(null, null);
}
