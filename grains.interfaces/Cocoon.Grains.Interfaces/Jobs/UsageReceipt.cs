namespace Cocoon.Jobs;

/// <summary>
/// A node's cumulative usage statement for one job (COCOON's signed counter, per job). Receipts are monotonic:
/// each covers everything before it; the last one a job saw is what it is billed for.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.usage-receipt.v1")]
public sealed record UsageReceipt(
    [property: Id(0)] string JobId,
    [property: Id(1)] string NodeId,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CachedPromptTokens,
    [property: Id(4)] int CompletionTokens,
    [property: Id(5)] int Coefficient,
    [property: Id(6)] int Sequence,
    [property: Id(7)] bool Final)
{
    /// <summary>Ed25519 signature by the node's attested signing key over the canonical receipt bytes; empty when unsigned.</summary>
    [Id(8)] public byte[] Signature { get; init; } = [];
}
