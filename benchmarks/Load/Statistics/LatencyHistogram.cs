using HdrHistogram;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Latencies in microseconds: HdrHistogram (3 significant digits, up to an hour) for percentiles, exact
/// count, min, max, mean and standard deviation beside it. Not thread-safe: its owner locks.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Longer latencies are recorded as an hour: a run never waits that long on one iteration anyway.</summary>
    public const long HighestMicros = 3_600_000_000;

    /// <summary>The percentiles drawn in the reports' percentile chart.</summary>
    public static readonly double[] DistributionPercentiles = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

    private readonly LongHistogram _histogram;
    private double _sum;
    private double _sumOfSquares;

    public LatencyHistogram(int significantDigits = 3)
    {
        _histogram = new LongHistogram(HighestMicros, significantDigits);
    }

    public long Count { get; private set; }

    public long MinMicros { get; private set; }

    public long MaxMicros { get; private set; }

    public void Record(long micros) => Record(micros, 1);

    public void Record(long micros, long count)
    {
        if (count <= 0)
        {
            return;
        }

        micros = Math.Clamp(micros, 0, HighestMicros);
        _histogram.RecordValueWithCount(micros, count);
        if (Count == 0 || micros < MinMicros) MinMicros = micros;
        if (Count == 0 || micros > MaxMicros) MaxMicros = micros;
        Count += count;
        _sum += (double)micros * count;
        _sumOfSquares += (double)micros * micros * count;
    }

    public void Record(TimeSpan latency) => Record(ToMicros(latency));

    public static long ToMicros(TimeSpan value) => value.Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    /// <summary>The value at <paramref name="percentile"/>, in microseconds, within the exact min and max.</summary>
    public long ValueAtPercentile(double percentile) =>
        Count == 0 ? 0 : Math.Clamp(_histogram.GetValueAtPercentile(percentile), MinMicros, MaxMicros);

    public void Reset()
    {
        _histogram.Reset();
        Count = 0;
        MinMicros = 0;
        MaxMicros = 0;
        _sum = 0;
        _sumOfSquares = 0;
    }

    public LatencyStats ToStats()
    {
        if (Count == 0)
        {
            return LatencyStats.Empty;
        }

        var mean = _sum / Count;
        var variance = Math.Max(0, _sumOfSquares / Count - mean * mean);
        var distribution = DistributionPercentiles
            .Select(p => new PercentilePoint(p, Ms(ValueAtPercentile(p))))
            .ToArray();
        return new LatencyStats(
            MinMs: Ms(MinMicros),
            MeanMs: mean / 1000,
            MaxMs: Ms(MaxMicros),
            StdDev: Math.Sqrt(variance) / 1000,
            Percent50: Ms(ValueAtPercentile(50)),
            Percent75: Ms(ValueAtPercentile(75)),
            Percent95: Ms(ValueAtPercentile(95)),
            Percent99: Ms(ValueAtPercentile(99)),
            Percent999: Ms(ValueAtPercentile(99.9)),
            Distribution: distribution);
    }

    private static double Ms(long micros) => micros / 1000.0;
}
