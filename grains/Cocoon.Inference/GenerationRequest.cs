namespace Cocoon.Inference;

/// <summary>What a node asks a model for. Either <see cref="Prompt"/> (raw completion) or <see cref="Messages"/> (chat).</summary>
public sealed record GenerationRequest
{
    public string? Prompt { get; init; }
    public IReadOnlyList<ChatMessage>? Messages { get; init; }
    public required int MaxTokens { get; init; }
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;
    public IReadOnlyList<string> StopSequences { get; init; } = [];
}

public sealed record ChatMessage(string Role, string Content);

/// <summary>Sampling knobs; <see cref="Temperature"/> 0 means greedy.</summary>
public sealed record SamplingOptions
{
    public static readonly SamplingOptions Greedy = new();
    public float Temperature { get; init; }
    public float TopP { get; init; } = 1f;
    public int TopK { get; init; }
    public ulong? Seed { get; init; }
    public float PresencePenalty { get; init; }
    public float FrequencyPenalty { get; init; }
}
