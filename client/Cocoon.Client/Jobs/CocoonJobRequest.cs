using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// One job as an application asks for it: a prompt or chat messages, the model, limits and sampling. Unset values
/// take the client's defaults (<see cref="CocoonClientOptions"/>).
/// </summary>
public sealed record CocoonJobRequest
{
    public string? Prompt { get; init; }
    public IReadOnlyList<PromptMessage>? Messages { get; init; }
    public string? Model { get; init; }
    public int? MaxTokens { get; init; }
    public float Temperature { get; init; }
    public float TopP { get; init; } = 1f;
    public int TopK { get; init; }
    public ulong? Seed { get; init; }
    public float PresencePenalty { get; init; }
    public float FrequencyPenalty { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }
    /// <summary>The highest node price coefficient accepted (per mille: 1000 = 1.0).</summary>
    public int? MaxCoefficient { get; init; }
    /// <summary>When the job must be done; wins over <see cref="Timeout"/>.</summary>
    public DateTimeOffset? Deadline { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>A client-chosen id (1 to 128 of A-Z a-z 0-9 . _ -): running it again attaches or replays, never bills twice.</summary>
    public string? JobId { get; init; }
    /// <summary>The account to bill; the client's account when unset.</summary>
    public string? AccountId { get; init; }
    /// <summary>Preferred node region.</summary>
    public string? Region { get; init; }
}
