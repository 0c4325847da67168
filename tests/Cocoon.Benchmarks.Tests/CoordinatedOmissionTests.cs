using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

/// <summary>
/// A target that stalls once for 500 ms while requests are due every 100 ms. Measured from the intended start,
/// the requests that queued behind the stall show their wait; a closed loop would simply not have sent them.
/// </summary>
public class CoordinatedOmissionTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(500);

    /// <summary>The first iteration holds the (single-threaded) target for 500 ms; the rest are instant.</summary>
    private static ScenarioProps StallingTarget(VirtualLoadClock clock) =>
        Scenario.Create("stall", context =>
        {
            if (context.InvocationNumber == 0)
            {
                clock.Advance(Stall);
            }

            return Task.FromResult<IResponse>(Response.Ok());
        });

    [Fact]
    public async Task Open_model_counts_the_queueing_delay_behind_a_stall()
    {
        var clock = new VirtualLoadClock();
        var scenario = StallingTarget(clock).WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var result = await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock);
        var stats = result.GetScenarioStats("stall");

        // Latencies 500, 400, 300, 200, 100 ms, then 15 × 0: the requests due during the stall waited for it.
        Assert.Equal(20, stats.AllOkCount);
        Assert.Equal(500, stats.Ok.Latency.MaxMs);
        Assert.Equal(75, stats.Ok.Latency.MeanMs, precision: 6);
        Assert.Equal(0, stats.Ok.Latency.Percent75);
        Assert.Equal(300, stats.Ok.Latency.Distribution.Single(p => p.Percentile == 90).LatencyMs, precision: 0);
        Assert.Equal(0, stats.Ok.Latency.MinMs);
    }

    [Fact]
    public async Task Closed_model_hides_the_same_stall_in_a_single_slow_request()
    {
        var clock = new VirtualLoadClock();
        var scenario = StallingTarget(clock).WithLoadSimulations(Simulation.IterationsForConstant(copies: 1, iterations: 20));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("stall");

        Assert.Equal(20, stats.AllOkCount);
        Assert.Equal(500, stats.Ok.Latency.MaxMs);
        Assert.Equal(25, stats.Ok.Latency.MeanMs, precision: 6);
    }

    [Fact]
    public async Task Time_series_places_each_completion_in_its_second()
    {
        var clock = new VirtualLoadClock();
        var scenario = StallingTarget(clock).WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("stall");

        Assert.Equal([0, 1, 2], stats.TimeSeries.Select(p => p.Second));
        Assert.Equal([10L, 10, 10], stats.TimeSeries.Select(p => p.OkCount));
        Assert.Equal(500, stats.TimeSeries[0].MaxMs, precision: 0);
        Assert.Equal(0, stats.TimeSeries[1].MaxMs);
    }

    [Fact]
    public async Task Warm_up_runs_the_load_but_is_not_measured()
    {
        var clock = new VirtualLoadClock();
        long invocations = 0;
        var scenario = Scenario.Create("warm", context =>
            {
                Interlocked.Increment(ref invocations);
                return Task.FromResult<IResponse>(Response.Ok());
            })
            .WithWarmUpDuration(TimeSpan.FromSeconds(1))
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("warm");

        Assert.Equal(30, invocations);
        Assert.Equal(20, stats.AllRequestCount);
    }

    [Fact]
    public async Task Waiting_for_a_concurrency_slot_counts_as_latency()
    {
        // One slot, and the target holds it until released: later iterations wait and that wait is measured.
        var clock = new VirtualLoadClock();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scenario = Scenario.Create("slots", async context =>
            {
                if (context.InvocationNumber == 0)
                {
                    await gate.Task;
                }

                return Response.Ok();
            })
            .WithMaxConcurrency(1)
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var run = NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock);
        await WaitUntil(() => clock.Elapsed > TimeSpan.Zero || run.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        gate.SetResult();
        var stats = (await run).GetScenarioStats("slots");

        Assert.Equal(10, stats.AllOkCount);
        Assert.True(stats.Ok.Latency.MeanMs > 100, $"queued iterations must show their wait, mean was {stats.Ok.Latency.MeanMs} ms");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }
}
