namespace Cocoon.Jobs;

[GenerateSerializer, Immutable, Alias("cocoon.job-request.v1")]
public sealed record JobRequest(
    [property: Id(0)] string AccountId,
    [property: Id(1)] JobMetadata Metadata,
    [property: Id(2)] JobPayload Payload)
{
    /// <summary>The account's signature of <c>job.run</c> over the job id, metadata and payload digest (docs/security.md).</summary>
    [Id(3)] public Security.RequestSignature? Signature { get; init; }
}

public enum JobPhase { Unknown, Running, Completed, Failed }

[GenerateSerializer, Immutable, Alias("cocoon.job-status.v1")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobPhase Phase,
    [property: Id(2)] string Model,
    [property: Id(3)] string? NodeId,
    [property: Id(4)] int Attempts,
    [property: Id(5)] int CompletionTokens,
    [property: Id(6)] long CostNano,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] string? FailureCode);
