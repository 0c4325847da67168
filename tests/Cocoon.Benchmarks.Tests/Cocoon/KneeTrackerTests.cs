using Cocoon.Benchmarks.Scenarios;

namespace Cocoon.Benchmarks.Tests.Cocoon;

public sealed class KneeTrackerTests
{
    /// <summary>Seconds 0..n-1 of a ramp: <paramref name="count"/> jobs due in each, every one taking <paramref name="latencyMs"/>.</summary>
    private static KneeTracker Ramp(int seconds, Func<int, int> count, Func<int, double> latencyMs, Func<int, int>? failed = null)
    {
        var knee = new KneeTracker();
        for (var s = 0; s < seconds; s++)
        {
            for (var i = 0; i < count(s); i++)
                knee.Record(TimeSpan.FromSeconds(s + 0.001 * i % 1), TimeSpan.FromMilliseconds(latencyMs(s)), ok: i >= (failed?.Invoke(s) ?? 0));
        }
        return knee;
    }

    [Fact]
    public void The_knee_is_the_last_healthy_second_before_three_saturated_ones()
    {
        // 2 ms while healthy; from second 6 on, 50 ms (past 10 x the 2 ms low-rate median and past 5 ms).
        var result = Ramp(10, s => 10 * (s + 1), s => s < 6 ? 2 : 50).Analyze();
        Assert.Equal(5, result.KneeSecond);
        Assert.Equal(60, result.KneeRate);
        Assert.Equal(2_000, result.BaselineP50Micros);
        Assert.Equal(100, result.PeakOkPerSecond);
    }

    [Fact]
    public void Failures_over_one_percent_saturate_a_second_and_a_single_slow_second_does_not()
    {
        var spike = Ramp(10, _ => 100, s => s == 4 ? 50 : 2).Analyze();
        Assert.Null(spike.KneeSecond);

        var failing = Ramp(10, _ => 100, _ => 2, s => s >= 5 ? 2 : 0).Analyze();
        Assert.Equal(4, failing.KneeSecond);
        Assert.Equal(100, failing.PeakOkPerSecond); // the healthy seconds before it
    }

    [Fact]
    public void Without_a_knee_it_reports_the_last_whole_second_not_the_one_the_run_cut_short()
    {
        // The last second only saw 30 of its jobs end before the run stopped.
        var result = Ramp(10, s => s == 9 ? 30 : 10 * (s + 1), _ => 2).Analyze();
        Assert.Null(result.KneeSecond);
        Assert.Equal(90, result.KneeRate);
        Assert.Equal(90, result.PeakOkPerSecond);
        Assert.Contains("the last whole second had 90 jobs due", result.ToString());
    }

    [Fact]
    public void A_ramp_that_ends_saturated_for_fewer_than_three_seconds_reports_the_last_healthy_second_as_unconfirmed()
    {
        // Seconds 7 and 8 (the last whole ones) queue to 900 ms; second 9 is cut short. Before, this read "not reached"
        // with the last second's 900 ms median, as if the ramp had held.
        var result = Ramp(10, s => s == 9 ? 30 : 10 * (s + 1), s => s is 7 or 8 ? 900 : 2).Analyze();
        Assert.Null(result.KneeSecond);
        Assert.Equal((6, 2), (result.UnconfirmedKneeSecond, result.SaturatedAtEnd));
        Assert.Equal(70, result.KneeRate);
        Assert.Equal(2_000, result.KneeP50Micros);
        Assert.Contains("knee: unconfirmed, second 6 of the ramp (the ramp ended with 2 saturated whole second(s)", result.ToString());

        // A ramp that held to its last whole second has no knee, confirmed or not.
        Assert.Null(Ramp(10, s => 10 * (s + 1), _ => 2).Analyze().UnconfirmedKneeSecond);
    }
}
