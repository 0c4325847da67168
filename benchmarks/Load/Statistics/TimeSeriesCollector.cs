namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Per-second buckets by completion time. Completions arrive in clock order, so only the last two seconds are
/// still open; older ones are reduced to their summary and their histogram reused, which keeps soak runs small.
/// Not thread-safe: its owner locks.
/// </summary>
internal sealed class TimeSeriesCollector
{
    private readonly List<Bucket> _buckets = [];
    private readonly Stack<LatencyHistogram> _spare = new();
    private int _firstOpen;

    public void Record(int second, TimeSpan latency, bool ok, long bytes)
    {
        second = Math.Max(0, second);
        while (_buckets.Count <= second)
        {
            _buckets.Add(new Bucket(_buckets.Count));
        }

        var bucket = _buckets[second];
        if (bucket.Summary is not null)
        {
            // A straggler into a closed second still counts, though its percentiles are already fixed.
            bucket.LateOk += ok ? 1 : 0;
            bucket.LateFail += ok ? 0 : 1;
            bucket.LateBytes += bytes;
            return;
        }

        if (ok)
        {
            bucket.Histogram ??= _spare.Count > 0 ? _spare.Pop() : new LatencyHistogram(significantDigits: 2);
            bucket.Histogram.Record(latency);
        }
        else
        {
            bucket.FailCount++;
        }

        bucket.Bytes += bytes;
        for (; _firstOpen < second - 1; _firstOpen++)
        {
            Close(_buckets[_firstOpen]);
        }
    }

    public IReadOnlyList<TimeSeriesPoint> ToPoints()
    {
        var points = new TimeSeriesPoint[_buckets.Count];
        for (var i = 0; i < _buckets.Count; i++)
        {
            var bucket = _buckets[i];
            var summary = bucket.Summary ?? Summarize(bucket);
            points[i] = summary with
            {
                OkCount = summary.OkCount + bucket.LateOk,
                FailCount = summary.FailCount + bucket.LateFail,
                Bytes = summary.Bytes + bucket.LateBytes,
            };
        }

        return points;
    }

    private void Close(Bucket bucket)
    {
        if (bucket.Summary is not null)
        {
            return;
        }

        bucket.Summary = Summarize(bucket);
        if (bucket.Histogram is { } histogram)
        {
            histogram.Reset();
            _spare.Push(histogram);
            bucket.Histogram = null;
        }
    }

    private static TimeSeriesPoint Summarize(Bucket bucket)
    {
        var stats = bucket.Histogram?.ToStats() ?? LatencyStats.Empty;
        return new TimeSeriesPoint(
            bucket.Second,
            bucket.Histogram?.Count ?? 0,
            bucket.FailCount,
            bucket.Bytes,
            stats.MeanMs,
            stats.Percent50,
            stats.Percent95,
            stats.Percent99,
            stats.MaxMs);
    }

    private sealed class Bucket(int second)
    {
        public int Second { get; } = second;

        public LatencyHistogram? Histogram { get; set; }

        public long FailCount { get; set; }

        public long Bytes { get; set; }

        public TimeSeriesPoint? Summary { get; set; }

        public long LateOk { get; set; }

        public long LateFail { get; set; }

        public long LateBytes { get; set; }
    }
}
