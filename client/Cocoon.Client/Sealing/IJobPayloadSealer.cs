using Cocoon.Jobs;
using Cocoon.Routing;

namespace Cocoon.Client;

/// <summary>
/// Turns a job's content into the payload the network carries, and opens what the node sends back. The plaintext
/// implementation is the seam's first; sealing to attested candidates (Cocoon.Confidential) replaces it.
/// </summary>
public interface IJobPayloadSealer
{
    ValueTask<SealedJobPayload> SealAsync(JobSealingContext context, CancellationToken cancellationToken);
}

/// <summary>What a sealer needs: the job, its public metadata, its content and the nodes that may run it.</summary>
public sealed record JobSealingContext(string JobId, JobMetadata Metadata, PromptContent Content, IReadOnlyList<NodeCandidate> Candidates)
{
    /// <summary>The account the job is billed to: part of the sealed payload's associated data.</summary>
    public string AccountId { get; init; } = "";

    /// <summary>The job already exists: the call attaches to it, so only an opener for its recorded output is needed.</summary>
    public bool Existing { get; init; }
}

/// <summary>The payload to send and, when the output comes back sealed, the opener for its chunks.</summary>
public sealed record SealedJobPayload(JobPayload Payload, IJobOutputOpener? Opener);

/// <summary>Opens a job's sealed output chunks, in order; refuses reordered or truncated streams.</summary>
public interface IJobOutputOpener
{
    IReadOnlyList<JobToken> Open(string nodeId, SealedChunk chunk);

    /// <summary>Called when the job completed: throws when the stream ended without its final chunk (truncated).</summary>
    void Complete();
}
