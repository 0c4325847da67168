namespace Cocoon.Registry;

/// <summary>
/// Network parameters, versioned. Prices are nanoTON per adjusted token; multipliers are per mille
/// (1000 = 1.0): adjusted tokens = tokens × coefficient / 1000 × multiplier / 1000.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.network-parameters.v1")]
public sealed record NetworkParameters
{
    [Id(0)] public int Version { get; init; } = 1;
    [Id(1)] public long PricePerToken { get; init; } = 1_000;
    [Id(2)] public long WorkerFeePerToken { get; init; } = 900;
    [Id(3)] public int PromptMultiplier { get; init; } = 1_000;
    [Id(4)] public int CachedPromptMultiplier { get; init; } = 100;
    [Id(5)] public int CompletionMultiplier { get; init; } = 1_000;
    [Id(6)] public IReadOnlyList<string> AllowedModels { get; init; } = new[] { "echo", "cocoon-tiny" };
    [Id(7)] public long PayoutThresholdNano { get; init; } = 10_000_000_000;
    /// <summary>Upper limit of a job's max tokens.</summary>
    [Id(8)] public int MaxTokensLimit { get; init; } = 32_768;
    /// <summary>A node emits a cumulative receipt every this many completion tokens, and at the end.</summary>
    [Id(9)] public int ReceiptEveryTokens { get; init; } = 8;
    /// <summary>Commission is spread over this many ledger accounts so settlement has no single hot grain.</summary>
    [Id(10)] public int CommissionShards { get; init; } = 16;
    /// <summary>Upper limit of a job's declared prompt tokens.</summary>
    [Id(11)] public int MaxPromptTokensLimit { get; init; } = 1_000_000;
    /// <summary>Per-account rate limits and quotas (docs/security.md).</summary>
    [Id(12)] public AccountLimits Limits { get; init; } = new();
}
