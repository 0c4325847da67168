using Cocoon.Registry;

namespace Cocoon.Wallets;

/// <summary>
/// A job's cost split. For each category, adjusted tokens = tokens × coefficient/1000 × multiplier/1000; the client
/// pays price_per_token per adjusted token rounded up, the worker earns worker_fee_per_token rounded down, the
/// commission is the remainder, so the three always sum to zero.
/// </summary>
public readonly record struct JobCost(long ChargeNano, long WorkerNano, long CommissionNano);

public static class Pricing
{
    private static readonly Int128 Scale = 1_000_000; // coefficient and multiplier are both per mille

    public static JobCost Cost(NetworkParameters p, int coefficient, int promptTokens, int cachedPromptTokens, int completionTokens)
    {
        if (coefficient < 0 || promptTokens < 0 || cachedPromptTokens < 0 || completionTokens < 0 || cachedPromptTokens > promptTokens)
            throw new ArgumentOutOfRangeException(nameof(promptTokens), "Token counts and the coefficient must be non-negative, cached ≤ prompt.");
        // Weighted tokens scaled by 10^6: Σ tokens_c × coefficient × multiplier_c.
        Int128 weighted =
            (Int128)(promptTokens - cachedPromptTokens) * coefficient * p.PromptMultiplier
            + (Int128)cachedPromptTokens * coefficient * p.CachedPromptMultiplier
            + (Int128)completionTokens * coefficient * p.CompletionMultiplier;
        var charge = CeilDiv(weighted * p.PricePerToken, Scale);
        var worker = weighted * p.WorkerFeePerToken / Scale;
        return new JobCost(checked((long)charge), checked((long)worker), checked((long)(charge - worker)));
    }

    /// <summary>The most a job can cost: every declared prompt token uncached and every allowed completion token used.</summary>
    public static long MaxCharge(NetworkParameters p, int maxCoefficient, int maxPromptTokens, int maxTokens) =>
        Cost(p, maxCoefficient, maxPromptTokens, 0, maxTokens).ChargeNano;

    private static Int128 CeilDiv(Int128 a, Int128 b) => (a + b - 1) / b;
}
