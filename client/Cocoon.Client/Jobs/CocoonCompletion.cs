namespace Cocoon.Client;

/// <summary>A finished job collected by <see cref="ICocoonClient.CompleteAsync"/>.</summary>
public sealed record CocoonCompletion(
    string JobId,
    string? NodeId,
    string Text,
    IReadOnlyList<CocoonJobToken> Tokens,
    string FinishReason,
    int PromptTokens,
    int CachedPromptTokens,
    int CompletionTokens,
    long CostNano);
