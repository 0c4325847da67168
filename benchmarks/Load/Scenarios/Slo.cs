namespace Cocoon.Benchmarks.Load;

/// <summary>
/// A service-level objective. A request counts toward goodput when it succeeded and met every bound that is set;
/// a token bound is not met by a response that carries no token timings.
/// </summary>
public sealed record Slo(TimeSpan? Latency = null, TimeSpan? TimeToFirstToken = null, TimeSpan? TimePerOutputToken = null)
{
    public bool IsMetBy(TimeSpan latency, TimeSpan? timeToFirstToken, TimeSpan? timePerOutputToken) =>
        (Latency is not { } l || latency <= l)
        && (TimeToFirstToken is not { } t || (timeToFirstToken is { } actualTtft && actualTtft <= t))
        && (TimePerOutputToken is not { } p || (timePerOutputToken is { } actualTpot && actualTpot <= p));

    public override string ToString()
    {
        var parts = new List<string>();
        if (Latency is { } l) parts.Add($"latency <= {DurationText.Format(l)}");
        if (TimeToFirstToken is { } t) parts.Add($"ttft <= {DurationText.Format(t)}");
        if (TimePerOutputToken is { } p) parts.Add($"tpot <= {DurationText.Format(p)}");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
