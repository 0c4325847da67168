using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class RunnerTests
{
    [Fact]
    public async Task A_failed_step_fails_the_iteration_and_exceptions_become_failures()
    {
        var clock = new VirtualLoadClock();
        var scenario = Scenario.Create("steps", async context =>
            {
                await Step.Run("first", context, () => Task.FromResult(Response.Ok(sizeBytes: 3)));
                if (context.InvocationNumber % 2 == 0)
                {
                    await Step.Run("second", context, () => Task.FromResult(Response.Fail("409", "conflict")));
                }
                else
                {
                    await Step.Run<object>("second", context, () => throw new TimeoutException("slow"));
                }

                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.IterationsForConstant(1, 4));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("steps");

        Assert.Equal(0, stats.AllOkCount);
        Assert.Equal(4, stats.AllFailCount);
        Assert.Equal(["first", "second"], stats.StepStats.Select(s => s.StepName));
        Assert.Equal(4, stats.GetStepStats("first")!.Ok.Request.Count);
        Assert.Equal(12, stats.GetStepStats("first")!.Ok.DataTransfer.AllBytes);
        var second = stats.GetStepStats("second")!;
        Assert.Equal(4, second.Fail.Request.Count);
        Assert.Equal(["409", "exception"], second.Fail.StatusCodes.Select(c => c.StatusCode).Order(StringComparer.Ordinal));
        Assert.Contains("TimeoutException: slow", second.Fail.StatusCodes.Single(c => c.StatusCode == "exception").Message);
        Assert.Contains("step 'second' failed", stats.Fail.StatusCodes[0].Message);
    }

    [Fact]
    public async Task Tokens_recorded_on_the_context_give_scenario_llm_stats()
    {
        var clock = new VirtualLoadClock();
        var scenario = Scenario.Create("llm", context =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(40));
                context.RecordTokens();
                for (var i = 0; i < 4; i++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(5));
                    context.RecordTokens();
                }

                return Task.FromResult<IResponse>(Response.Ok());
            })
            .WithSlo(new Slo(TimeToFirstToken: TimeSpan.FromMilliseconds(50)))
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("llm");

        Assert.NotNull(stats.Llm);
        Assert.Equal(40, stats.Llm.TimeToFirstToken.MaxMs);
        Assert.Equal(5, stats.Llm.InterTokenLatency.Percent99);
        Assert.Equal(50, stats.Llm.OutputTokens);
        Assert.Equal(100, stats.Goodput!.Percent);
    }

    [Fact]
    public async Task Iterations_left_running_after_the_drain_timeout_are_cancelled_and_failed()
    {
        var clock = new VirtualLoadClock();
        var scenario = Scenario.Create("hang", async context =>
            {
                await Task.Delay(Timeout.Infinite, context.ScenarioCancellationToken);
                return Response.Ok();
            })
            .WithDrainTimeout(TimeSpan.FromMilliseconds(50))
            .WithLoadSimulations(Simulation.Inject(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly(clock)).GetScenarioStats("hang");

        Assert.Equal(2, stats.AllFailCount);
        Assert.Equal("timeout", Assert.Single(stats.Fail.StatusCodes).StatusCode);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_keeps_the_results_and_exits_130()
    {
        using var cts = new CancellationTokenSource();
        var scenario = Scenario.Create("endless", async context =>
            {
                if (context.InvocationNumber == 5)
                {
                    await cts.CancelAsync();
                }

                await Task.Yield();
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromHours(1)));

        var result = await NBomberRunner.RegisterScenarios(scenario).RunQuietly(cancellationToken: cts.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(LoadExitCodes.Cancelled, result.ExitCode);
        Assert.InRange(result.GetScenarioStats("endless").AllOkCount, 5, 6);
    }

    [Fact]
    public async Task Closed_model_keeps_the_given_number_of_copies_busy()
    {
        var running = 0;
        var most = 0;
        var scenario = Scenario.Create("closed", async context =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(2, context.ScenarioCancellationToken);
                Interlocked.Decrement(ref running);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.IterationsForConstant(copies: 3, iterations: 60));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly()).GetScenarioStats("closed");

        Assert.Equal(60, stats.AllOkCount);
        Assert.InRange(most, 1, 3);
    }

    [Fact]
    public async Task Timed_closed_phases_never_exceed_their_copies()
    {
        var running = 0;
        var most = 0;
        var scenario = Scenario.Create("ramp", async context =>
            {
                InterlockedMax(ref most, Interlocked.Increment(ref running));
                await Task.Delay(1, context.ScenarioCancellationToken);
                Interlocked.Decrement(ref running);
                return Response.Ok();
            })
            .WithLoadSimulations(
                Simulation.RampingConstant(3, TimeSpan.FromMilliseconds(150)),
                Simulation.KeepConstant(2, TimeSpan.FromMilliseconds(150)));

        var stats = (await NBomberRunner.RegisterScenarios(scenario).RunQuietly()).GetScenarioStats("ramp");

        // Copies stopping at a phase end finish their iteration, so two phases may overlap by one iteration each.
        Assert.True(stats.AllOkCount > 0);
        Assert.Equal(0, stats.AllFailCount);
        Assert.InRange(most, 1, 5);
    }

    [Fact]
    public async Task A_failing_init_skips_the_run_and_is_reported()
    {
        var scenario = Scenario.Create("broken", _ => Task.FromResult<IResponse>(Response.Ok()))
            .WithInit(_ => throw new InvalidOperationException("no cluster"));

        var result = await NBomberRunner.RegisterScenarios(scenario).RunQuietly();

        Assert.Equal(LoadExitCodes.RunFailed, result.ExitCode);
        Assert.Contains("init failed: InvalidOperationException: no cluster", Assert.Single(result.Errors));
    }

    [Fact]
    public void Scenario_names_must_be_unique()
    {
        var a = Scenario.Create("same", _ => Task.FromResult<IResponse>(Response.Ok()));

        Assert.Throws<ArgumentException>(() => NBomberRunner.RegisterScenarios(a, a));
        var catalog = new ScenarioCatalog().Register("x", "d", _ => a);
        Assert.Throws<ArgumentException>(() => catalog.Register("x", "d", _ => a));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
