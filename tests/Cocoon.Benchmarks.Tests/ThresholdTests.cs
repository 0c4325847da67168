using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class ThresholdTests
{
    /// <summary>100 requests at 10 ms apart by latency 1..100 ms over 10 s; every 20th fails.</summary>
    private static async Task<RunResult> Run(params Threshold[] thresholds)
    {
        var clock = new VirtualLoadClock();
        var scenario = Scenario.Create("t", async context =>
            {
                var step = await Step.Run("work", context, () =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(context.InvocationNumber + 1));
                    return Task.FromResult((context.InvocationNumber + 1) % 20 == 0 ? Response.Fail("500", "boom") : Response.Ok());
                });
                return step;
            })
            .WithThresholds(thresholds)
            .WithLoadSimulations(Simulation.IterationsForConstant(1, 100));
        return await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock);
    }

    [Fact]
    public async Task Passing_thresholds_give_exit_code_zero()
    {
        var result = await Run(
            Threshold.Parse("fail percent < 6"),
            Threshold.Parse("fail count == 5"),
            Threshold.Parse("p99 < 100ms"),
            Threshold.Parse("max <= 0.1s"),
            Threshold.Parse("p50 > 40000us"),
            Threshold.Parse("count >= 100"),
            Threshold.Parse("p99 < 200", stepName: "work"),
            Threshold.Create(stats => stats.AllOkCount == 95, "95 ok"),
            Threshold.Create("work", step => step.Fail.Request.Count == 5));

        Assert.All(result.Thresholds, t => Assert.True(t.Passed, t.ToString()));
        Assert.Equal(LoadExitCodes.Success, result.ExitCode);
        Assert.Equal("5%", result.Thresholds[0].Actual);
    }

    [Fact]
    public async Task A_breach_sets_a_non_zero_exit_code_and_is_listed()
    {
        var result = await Run(Threshold.Parse("fail percent < 1"), Threshold.Parse("p50 < 10ms"));

        Assert.Equal(LoadExitCodes.ThresholdsBreached, result.ExitCode);
        Assert.All(result.Thresholds, t => Assert.False(t.Passed));
        Assert.Contains("BREACHED: t: fail percent < 1 (actual 5%)", TextReport.Render(result));
    }

    [Fact]
    public async Task Thresholds_on_missing_data_fail_rather_than_pass()
    {
        var result = await Run(Threshold.Parse("ttft p99 < 1s"), Threshold.Parse("p99 < 1s", stepName: "nope"), Threshold.Parse("goodput percent > 1"));

        Assert.All(result.Thresholds, t => Assert.False(t.Passed));
        Assert.Contains("token timings", result.Thresholds[0].Error);
        Assert.Contains("never ran", result.Thresholds[1].Error);
        Assert.Contains("SLO", result.Thresholds[2].Error);
    }

    [Fact]
    public async Task A_throwing_predicate_is_a_failed_threshold()
    {
        var result = await Run(Threshold.Create(_ => throw new InvalidOperationException("bad rule"), "throws"));

        Assert.False(Assert.Single(result.Thresholds).Passed);
        Assert.Equal(LoadExitCodes.ThresholdsBreached, result.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("p98 < 10ms")]
    [InlineData("p99 << 10ms")]
    [InlineData("p99 < fast")]
    [InlineData("rps > 900ms")]
    [InlineData("p99 < 5%")]
    public void Bad_expressions_are_rejected_with_the_accepted_forms(string expression)
    {
        var error = Assert.Throws<ThresholdFormatException>(() => Threshold.Parse(expression));

        Assert.Contains("p99 < 50ms", error.Message);
    }

    [Theory]
    [InlineData("rps > 900", "rps > 900")]
    [InlineData("  FAIL   percent<1% ", "FAIL percent<1%")]
    [InlineData("tpot p95 <= 40ms", "tpot p95 <= 40ms")]
    [InlineData("tokens/s >= 100", "tokens/s >= 100")]
    public void Good_expressions_parse(string expression, string description)
    {
        Assert.Equal(description, Threshold.Parse(expression).Description);
    }
}
