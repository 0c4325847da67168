namespace Cocoon.Benchmarks.Load;

/// <summary>One second of a run, by completion time: counts, bytes and the OK latency (ms) within that second.</summary>
public sealed record TimeSeriesPoint(
    int Second,
    long OkCount,
    long FailCount,
    long Bytes,
    double MeanMs,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs);
