namespace Cocoon.Inference;

/// <summary>One step of a generation: a token (absent on a final step that adds none) and cumulative usage.</summary>
public readonly record struct GenerationStep(GeneratedToken? Token, InferenceUsage Usage, FinishReason? Finish);

public readonly record struct GeneratedToken(int Id, string Text);

/// <summary>Token counts of one request so far. Cached prompt tokens are part of <see cref="PromptTokens"/>.</summary>
public readonly record struct InferenceUsage(int PromptTokens, int CachedPromptTokens, int CompletionTokens);

public enum FinishReason
{
    /// <summary>A stop sequence or the end-of-sequence token.</summary>
    Stop,
    /// <summary>The request's max tokens were reached.</summary>
    Length,
}
