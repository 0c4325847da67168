using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class StatisticsTests
{
    [Fact]
    public void Percentiles_of_one_to_a_thousand_milliseconds()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        var stats = histogram.ToStats();

        // HdrHistogram keeps 3 significant digits: values are exact to 0.1%.
        Assert.Equal(1, stats.MinMs);
        Assert.Equal(1000, stats.MaxMs);
        Assert.Equal(500.5, stats.MeanMs, precision: 9);
        Assert.Equal(Math.Sqrt((1000.0 * 1000 - 1) / 12), stats.StdDev, precision: 6);
        Assert.Equal(500, stats.Percent50, 0.5);
        Assert.Equal(750, stats.Percent75, 0.75);
        Assert.Equal(950, stats.Percent95, 0.95);
        Assert.Equal(990, stats.Percent99, 0.99);
        Assert.Equal(999, stats.Percent999, 1.0);
    }

    [Fact]
    public void Microsecond_latencies_keep_their_resolution()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMicroseconds(7));
        histogram.Record(TimeSpan.FromMicroseconds(13));

        var stats = histogram.ToStats();

        Assert.Equal(0.007, stats.MinMs, precision: 9);
        Assert.Equal(0.013, stats.MaxMs, precision: 9);
        Assert.Equal(0.010, stats.MeanMs, precision: 9);
    }

    [Fact]
    public void Ok_and_failed_requests_are_counted_apart()
    {
        var collector = new StatsCollector("s", slo: null);
        collector.Record(Response.Ok(statusCode: "200", sizeBytes: 100), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(0.1), null);
        collector.Record(Response.Ok(statusCode: "200", sizeBytes: 300), TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(0.2), null);
        collector.Record(Response.Ok(statusCode: "200", sizeBytes: 200), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1.5), null);
        collector.Record(Response.Fail("503", "busy"), TimeSpan.FromMilliseconds(1000), TimeSpan.FromSeconds(1.6), null);
        collector.Record(Response.Fail("503", "busy"), TimeSpan.FromMilliseconds(2000), TimeSpan.FromSeconds(1.7), null);

        var (ok, fail, llm, goodput, series) = collector.ToStats(TimeSpan.FromSeconds(2));

        Assert.Equal(3, ok.Request.Count);
        Assert.Equal(1.5, ok.Request.RPS);
        Assert.Equal(60, ok.Request.Percent);
        Assert.Equal(20, ok.Latency.MeanMs, precision: 9);
        Assert.Equal(30, ok.Latency.MaxMs);
        Assert.Equal(600, ok.DataTransfer.AllBytes);
        Assert.Equal(100, ok.DataTransfer.MinBytes);
        Assert.Equal(2, fail.Request.Count);
        Assert.Equal(40, fail.Request.Percent);
        Assert.Equal(1000, fail.Latency.MinMs);
        Assert.Equal(new StatusCodeStats("503", 2, "busy"), Assert.Single(fail.StatusCodes));
        Assert.Null(llm);
        Assert.Null(goodput);
        Assert.Equal([2L, 1], series.Select(p => p.OkCount));
        Assert.Equal([0L, 2], series.Select(p => p.FailCount));
    }

    [Fact]
    public void Token_timings_give_ttft_itl_throughput_and_goodput()
    {
        var slo = new Slo(TimeToFirstToken: TimeSpan.FromMilliseconds(100), TimePerOutputToken: TimeSpan.FromMilliseconds(10));
        var collector = new StatsCollector("llm", slo);
        var fast = new TokenUsage(TimeSpan.FromMilliseconds(50), 3, [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(7)]);
        var slowStart = new TokenUsage(TimeSpan.FromMilliseconds(300), 3, [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5)]);
        var noGaps = new TokenUsage(TimeSpan.FromMilliseconds(40), 5);
        collector.Record(Response.Ok(), TimeSpan.FromMilliseconds(62), TimeSpan.Zero, fast);
        collector.Record(Response.Ok(), TimeSpan.FromMilliseconds(310), TimeSpan.Zero, slowStart);
        collector.Record(Response.Ok(), TimeSpan.FromMilliseconds(120), TimeSpan.Zero, noGaps);
        collector.Record(Response.Fail("500"), TimeSpan.FromMilliseconds(1), TimeSpan.Zero, fast);

        var (_, _, llm, goodput, _) = collector.ToStats(TimeSpan.FromSeconds(1));

        Assert.NotNull(llm);
        Assert.Equal(3, llm.Requests);
        Assert.Equal(11, llm.OutputTokens);
        Assert.Equal(11, llm.OutputTokensPerSecond);
        Assert.Equal(40, llm.TimeToFirstToken.MinMs);
        Assert.Equal(300, llm.TimeToFirstToken.MaxMs);

        // Gaps 5, 7, 5, 5, and (120 - 40) / 4 = 20 four times for the answer without per-token stamps.
        Assert.Equal(102.0 / 8, llm.InterTokenLatency.MeanMs, precision: 9);
        Assert.Equal(20, llm.InterTokenLatency.MaxMs);
        Assert.Equal(5, llm.TimePerOutputToken.MinMs);
        Assert.Equal(20, llm.TimePerOutputToken.MaxMs);

        // Only the fast answer meets both bounds: 1 of 4 requests.
        Assert.NotNull(goodput);
        Assert.Equal(1, goodput.Count);
        Assert.Equal(25, goodput.Percent);
    }

    [Fact]
    public void Time_series_survives_long_gaps_and_late_completions()
    {
        var collector = new TimeSeriesCollector();
        collector.Record(0, TimeSpan.FromMilliseconds(5), ok: true, bytes: 1);
        collector.Record(20, TimeSpan.FromMilliseconds(7), ok: true, bytes: 1);
        collector.Record(0, TimeSpan.FromMilliseconds(9), ok: false, bytes: 1);

        var points = collector.ToPoints();

        Assert.Equal(21, points.Count);
        Assert.Equal(1, points[0].OkCount);
        Assert.Equal(1, points[0].FailCount);
        Assert.Equal(5, points[0].P99Ms, 0.05);
        Assert.Equal(0, points[10].OkCount);
        Assert.Equal(7, points[20].MaxMs, 0.07);
    }
}
