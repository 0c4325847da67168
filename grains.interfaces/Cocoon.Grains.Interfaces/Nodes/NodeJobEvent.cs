using Cocoon.Jobs;

namespace Cocoon.Nodes;

/// <summary>What a node streams back for one job attempt.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.v1")]
public abstract record NodeJobEvent;

/// <summary>The node accepted the job and started it (queued time is over).</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.started.v1")]
public sealed record NodeJobStarted([property: Id(0)] DateTimeOffset StartedAt) : NodeJobEvent;

/// <summary>One generated token (plaintext payloads).</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.token.v1")]
public sealed record NodeJobToken([property: Id(0)] JobToken Token) : NodeJobEvent;

/// <summary>A sealed chunk of output (sealed payloads): only the client can open it.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.chunk.v1")]
public sealed record NodeJobSealedChunk([property: Id(0)] SealedChunk Chunk) : NodeJobEvent;

/// <summary>A cumulative usage receipt; the last one a job saw is what it is billed for.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.receipt.v1")]
public sealed record NodeJobReceipt([property: Id(0)] UsageReceipt Receipt) : NodeJobEvent;

/// <summary>The job ended on the node; the final receipt precedes it.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-event.finished.v1")]
public sealed record NodeJobFinished(
    [property: Id(0)] string FinishReason,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset EndedAt) : NodeJobEvent;
