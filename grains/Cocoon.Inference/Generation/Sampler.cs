namespace Cocoon.Inference.Generation;

/// <summary>
/// Picks the next token from logits: presence/frequency penalties, then greedy (temperature 0) or temperature,
/// top-k and top-p sampling with the request's generator (seeded requests repeat exactly).
/// </summary>
internal sealed class Sampler(SamplingOptions options)
{
    private readonly Random _random = options.Seed is { } seed ? new Random(unchecked((int)(seed ^ (seed >> 32)))) : new Random();
    private readonly Dictionary<int, int> _counts = new();

    public static void Validate(SamplingOptions o)
    {
        if (float.IsNaN(o.Temperature) || o.Temperature < 0 || o.Temperature > 100)
            throw new InvalidGenerationRequestException($"temperature must be between 0 and 100, got {o.Temperature}.");
        if (float.IsNaN(o.TopP) || o.TopP <= 0 || o.TopP > 1)
            throw new InvalidGenerationRequestException($"top_p must be in (0, 1], got {o.TopP}.");
        if (o.TopK < 0)
            throw new InvalidGenerationRequestException($"top_k must not be negative, got {o.TopK}.");
        if (float.IsNaN(o.PresencePenalty) || Math.Abs(o.PresencePenalty) > 2 || float.IsNaN(o.FrequencyPenalty) || Math.Abs(o.FrequencyPenalty) > 2)
            throw new InvalidGenerationRequestException("presence and frequency penalties must be between -2 and 2.");
    }

    /// <summary>Chooses a token and remembers it for the penalties.</summary>
    public int Next(float[] logits)
    {
        if (options.PresencePenalty != 0 || options.FrequencyPenalty != 0)
        {
            foreach (var (token, count) in _counts)
                logits[token] -= options.PresencePenalty + options.FrequencyPenalty * count;
        }
        var chosen = options.Temperature <= 0 ? ArgMax(logits) : Sample(logits);
        _counts[chosen] = _counts.GetValueOrDefault(chosen) + 1;
        return chosen;
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
                best = i;
        }
        return best;
    }

    private int Sample(float[] logits)
    {
        var inverseTemperature = 1 / options.Temperature;
        var max = logits[ArgMax(logits)];
        if (options.TopK <= 0 && options.TopP >= 1)
        {
            // Plain temperature: one pass, no sort (this runs once per token per sequence).
            double sum = 0;
            for (var i = 0; i < logits.Length; i++)
                sum += logits[i] = (float)Math.Exp((logits[i] - max) * inverseTemperature);
            var pick = _random.NextDouble() * sum;
            for (var i = 0; i < logits.Length; i++)
            {
                pick -= logits[i];
                if (pick <= 0)
                    return i;
            }
            return ArgMax(logits);
        }
        var candidates = new int[logits.Length];
        for (var i = 0; i < candidates.Length; i++)
            candidates[i] = i;
        var keys = new float[logits.Length];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = -logits[i];
        Array.Sort(keys, candidates);
        var keep = options.TopK > 0 ? Math.Min(options.TopK, candidates.Length) : candidates.Length;
        var weights = new double[keep];
        double total = 0;
        for (var i = 0; i < keep; i++)
            total += weights[i] = Math.Exp((logits[candidates[i]] - max) * inverseTemperature);
        if (options.TopP < 1)
        {
            double cumulative = 0;
            for (var i = 0; i < keep; i++)
            {
                cumulative += weights[i] / total;
                if (cumulative >= options.TopP)
                {
                    keep = i + 1;
                    break;
                }
            }
            total = 0;
            for (var i = 0; i < keep; i++)
                total += weights[i];
        }
        var target = _random.NextDouble() * total;
        for (var i = 0; i < keep; i++)
        {
            target -= weights[i];
            if (target <= 0)
                return candidates[i];
        }
        return candidates[keep - 1];
    }
}
