using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// A finished job collected by <see cref="ICocoonClient.CompleteAsync"/>. Usage and cost add up every part: the job and
/// its continuations, each billed once from its own last receipt.
/// </summary>
public sealed record CocoonCompletion(
    string JobId,
    string? NodeId,
    string Text,
    IReadOnlyList<CocoonJobToken> Tokens,
    string FinishReason,
    int PromptTokens,
    int CachedPromptTokens,
    int CompletionTokens,
    long CostNano)
{
    /// <summary>Jobs that continued this one after its node or core silo died mid-run (<c>&lt;job id&gt;.r1</c>, ...), in order.</summary>
    public IReadOnlyList<string> Continuations { get; init; } = [];

    /// <summary>When the last part was submitted, started and ended on its node, and answered (Unix milliseconds).</summary>
    public JobTimings Timings { get; init; } = new(0, 0, 0, 0);
}
