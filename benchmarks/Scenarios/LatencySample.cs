namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// Every latency of one kind in a run, kept whole (a few hundred thousand at most) so that two kinds can be compared
/// percentile by percentile: the routing overhead is the client's percentile minus the baseline's.
/// </summary>
internal sealed class LatencySample
{
    private readonly Lock _gate = new();
    private readonly List<double> _micros = [];

    public int Count
    {
        get { lock (_gate) return _micros.Count; }
    }

    public void Add(TimeSpan latency)
    {
        lock (_gate)
        {
            _micros.Add(latency.TotalMicroseconds);
        }
    }

    /// <summary>The nearest-rank percentile in microseconds; NaN when empty.</summary>
    public double PercentileMicros(double percent)
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _micros];
        }

        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
