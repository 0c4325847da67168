namespace Cocoon.Benchmarks.Load;

/// <summary>Latency summary in milliseconds (names as NBomber's <c>LatencyStats</c>); percentiles come from HdrHistogram at 3 significant digits.</summary>
public sealed record LatencyStats(
    double MinMs,
    double MeanMs,
    double MaxMs,
    double StdDev,
    double Percent50,
    double Percent75,
    double Percent95,
    double Percent99,
    double Percent999,
    IReadOnlyList<PercentilePoint> Distribution)
{
    public static readonly LatencyStats Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, []);
}

/// <summary>The latency (ms) at a percentile, for the percentile chart.</summary>
public readonly record struct PercentilePoint(double Percentile, double LatencyMs);
