namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// Finds the knee of a ramp: iterations are grouped by the second they were due in (so a bucket's size is the
/// injected rate); a second is saturated when more than 1 % of it failed or its median latency (from when it was due,
/// so queueing shows) passed both 5 ms and ten times the median of the first seconds. The knee is the last healthy
/// second before the first of three saturated ones in a row.
/// </summary>
internal sealed class KneeTracker
{
    private const int BaselineSeconds = 3;
    private const int SaturatedInARow = 3;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, Bucket> _buckets = [];

    public void Record(TimeSpan dueAt, TimeSpan latency, bool ok)
    {
        var second = (int)dueAt.TotalSeconds;
        lock (_gate)
        {
            if (!_buckets.TryGetValue(second, out var bucket))
            {
                _buckets[second] = bucket = new Bucket();
            }

            if (ok)
            {
                bucket.OkMicros.Add(latency.TotalMicroseconds);
            }
            else
            {
                bucket.Failed++;
            }
        }
    }

    /// <summary>True once the ramp is saturated; later iterations may be skipped rather than piling up.</summary>
    public bool IsSaturated => Analyze().KneeSecond is not null;

    public KneeResult Analyze()
    {
        List<(int Second, int Count, int Failed, double P50, double P99)> rows;
        lock (_gate)
        {
            rows = _buckets.Select(b => (b.Key, b.Value.OkMicros.Count + b.Value.Failed, b.Value.Failed, Percentile(b.Value.OkMicros, 50), Percentile(b.Value.OkMicros, 99))).ToList();
        }

        var baseline = rows.Take(BaselineSeconds).Select(r => r.P50).Where(p => !double.IsNaN(p)).DefaultIfEmpty(double.NaN).Min();
        var limit = Math.Max(5_000, 10 * (double.IsNaN(baseline) ? 500 : baseline));
        bool Saturated((int Second, int Count, int Failed, double P50, double P99) r) =>
            r.Count > 0 && (r.Failed > r.Count / 100.0 || double.IsNaN(r.P50) || r.P50 > limit);
        var run = 0;
        for (var i = BaselineSeconds; i < rows.Count; i++)
        {
            var r = rows[i];
            run = Saturated(r) ? run + 1 : 0;
            if (run == SaturatedInARow)
            {
                var kneeIndex = i - SaturatedInARow;
                var knee = kneeIndex >= 0 ? rows[kneeIndex] : rows[0];
                // Due times count from the clock's start, before the scenario's init: report seconds into the load.
                return new KneeResult(knee.Second - rows[0].Second, knee.Count, knee.P50, knee.P99, baseline, rows.Max(x => x.Count - x.Failed));
            }
        }

        // The last second is cut short by the end of the run (its late jobs never start or never end): the one before
        // it is the last whole second.
        var lastWhole = rows.Count - 2;
        var peakOk = rows.Count > 0 ? rows.Max(x => x.Count - x.Failed) : 0;
        // Whole seconds saturated at the end, too few to confirm a knee: the ramp stopped at (or just past) it. Report
        // the last healthy second before them, not the last second, whose queueing would read as "held the ramp".
        var tail = 0;
        while (lastWhole - tail >= BaselineSeconds && Saturated(rows[lastWhole - tail])) tail++;
        if (tail > 0)
        {
            var healthy = rows[lastWhole - tail];
            return new KneeResult(null, healthy.Count, healthy.P50, healthy.P99, baseline, peakOk,
                UnconfirmedKneeSecond: healthy.Second - rows[0].Second, SaturatedAtEnd: tail);
        }

        var last = rows.Count switch { 0 => default, 1 => rows[0], _ => rows[^2] };
        return new KneeResult(null, last.Count, last.P50, last.P99, baseline, peakOk);
    }

    private static double Percentile(List<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private sealed class Bucket
    {
        public List<double> OkMicros { get; } = [];

        public int Failed { get; set; }
    }
}

/// <param name="KneeSecond">The last healthy second before saturation; null when the ramp never saturated.</param>
/// <param name="KneeRate">Jobs due in that second that ended, ok or failed (the last whole second's when it never saturated).</param>
/// <param name="UnconfirmedKneeSecond">Without a knee: the last healthy second before the <paramref name="SaturatedAtEnd"/>
/// saturated whole seconds the ramp ended with (too few to confirm one); the Knee* figures are that second's.</param>
internal sealed record KneeResult(int? KneeSecond, int KneeRate, double KneeP50Micros, double KneeP99Micros, double BaselineP50Micros, int PeakOkPerSecond,
    int? UnconfirmedKneeSecond = null, int SaturatedAtEnd = 0)
{
    public override string ToString() => KneeSecond is { } second
        ? $"knee: second {second} of the ramp ({KneeRate} jobs due in it ended; there p50 {KneeP50Micros / 1000:0.00} ms, p99 {KneeP99Micros / 1000:0.00} ms; low-rate p50 {BaselineP50Micros / 1000:0.00} ms); most jobs due in one second that succeeded: {PeakOkPerSecond}"
        : UnconfirmedKneeSecond is { } end
        ? $"knee: unconfirmed, second {end} of the ramp (the ramp ended with {SaturatedAtEnd} saturated whole second(s) after it; three in a row confirm a knee; {KneeRate} jobs due in it ended; there p50 {KneeP50Micros / 1000:0.00} ms, p99 {KneeP99Micros / 1000:0.00} ms; low-rate p50 {BaselineP50Micros / 1000:0.00} ms); most jobs due in one second that succeeded: {PeakOkPerSecond}; raise --set peak=N to confirm"
        : $"knee: not reached; the last whole second had {KneeRate} jobs due that ended (p50 {KneeP50Micros / 1000:0.00} ms, p99 {KneeP99Micros / 1000:0.00} ms; low-rate p50 {BaselineP50Micros / 1000:0.00} ms); most jobs due in one second that succeeded: {PeakOkPerSecond}; raise --set peak=N";
}
