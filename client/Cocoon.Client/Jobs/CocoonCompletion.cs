namespace Cocoon.Client;

/// <summary>
/// A finished job collected by <see cref="ICocoonClient.CompleteAsync"/>. Prompt tokens are the last part's; completion
/// tokens and cost add up every part (the job and its continuations).
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
    /// <summary>Jobs that continued this one after its node or core silo died mid-run (<c>&lt;job id&gt;.c1</c>, ...), in order.</summary>
    public IReadOnlyList<string> Continuations { get; init; } = [];
}
