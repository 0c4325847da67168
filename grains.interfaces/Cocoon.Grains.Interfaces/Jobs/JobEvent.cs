namespace Cocoon.Jobs;

/// <summary>What <see cref="IJobGrain.Run"/> streams: accepted, tokens (or sealed chunks), usage, then completed or failed.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-event.v1")]
public abstract record JobEvent;

/// <summary>The job is admitted and running on a node (attempt counts from 1; a retry on another node sends another).</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-event.accepted.v1")]
public sealed record JobAccepted(
    [property: Id(0)] string JobId,
    [property: Id(1)] string NodeId,
    [property: Id(2)] int Attempt,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] long ReservedNano) : JobEvent;

[GenerateSerializer, Immutable, Alias("cocoon.job-event.token.v1")]
public sealed record JobTokenEvent([property: Id(0)] JobToken Token) : JobEvent;

[GenerateSerializer, Immutable, Alias("cocoon.job-event.chunk.v1")]
public sealed record JobSealedChunkEvent([property: Id(0)] string NodeId, [property: Id(1)] SealedChunk Chunk) : JobEvent;

/// <summary>Cumulative usage so far, from the node's last receipt.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-event.usage.v1")]
public sealed record JobUsageEvent([property: Id(0)] UsageReceipt Receipt) : JobEvent;

/// <summary>The job finished; <paramref name="CostNano"/> is what the account paid for it.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-event.completed.v1")]
public sealed record JobCompleted(
    [property: Id(0)] string FinishReason,
    [property: Id(1)] int PromptTokens,
    [property: Id(2)] int CachedPromptTokens,
    [property: Id(3)] int CompletionTokens,
    [property: Id(4)] long CostNano,
    [property: Id(5)] JobTimings Timings) : JobEvent;

/// <summary>The job failed. <paramref name="Code"/> is one of <see cref="JobFailureCodes"/>; what was billed is in <paramref name="CostNano"/>.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-event.failed.v1")]
public sealed record JobFailed(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] int CompletionTokens,
    [property: Id(3)] long CostNano) : JobEvent;

/// <summary>When the job reached the job grain and the node, and when it ended (unix milliseconds).</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-timings.v1")]
public sealed record JobTimings(
    [property: Id(0)] long JobStartMs,
    [property: Id(1)] long NodeStartMs,
    [property: Id(2)] long NodeEndMs,
    [property: Id(3)] long JobEndMs);

public static class JobFailureCodes
{
    public const string NoNode = "no_node";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string NodeFailed = "node_failed";
    public const string Cancelled = "cancelled";
    public const string InvalidContent = "invalid_content";
}
