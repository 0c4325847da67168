using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class LoadPlanTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static OpenPhase Open(params LoadSimulation[] simulations) => (OpenPhase)LoadPlan.Build(simulations)[^1];

    private static TimeSpan[] Offsets(OpenPhase phase) => [.. Enumerable.Range(0, (int)phase.Count).Select(i => phase.OffsetOf(i))];

    [Fact]
    public void Inject_spaces_rate_per_interval_evenly()
    {
        var phase = Open(Simulation.Inject(10, Second, TimeSpan.FromSeconds(3)));

        Assert.Equal(30, phase.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => TimeSpan.FromMilliseconds(100 * i)), Offsets(phase));
    }

    [Fact]
    public void Inject_rate_is_per_interval_not_per_second()
    {
        var phase = Open(Simulation.Inject(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)));

        Assert.Equal(20, phase.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(100), phase.OffsetOf(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1900), phase.OffsetOf(19));
    }

    [Fact]
    public void RampingInject_from_zero_grows_linearly()
    {
        var phase = Open(Simulation.RampingInject(10, Second, TimeSpan.FromSeconds(10)));
        var offsets = Offsets(phase);

        // The integral of a rate rising from 0 to 10/s over 10 s is 50; iteration i is due at sqrt(2i) s.
        Assert.Equal(50, phase.Count);
        Assert.Equal(TimeSpan.Zero, offsets[0]);
        Assert.Equal(TimeSpan.FromSeconds(Math.Sqrt(2 * 8)), offsets[8]);
        Assert.Equal(13, offsets.Count(t => t < TimeSpan.FromSeconds(5)));
        var gaps = offsets.Skip(1).Zip(offsets.Skip(2), (a, b) => b - a).ToArray();
        Assert.True(gaps.Zip(gaps.Skip(1)).All(p => p.Second <= p.First), "the spacing must tighten as the rate rises");
    }

    [Fact]
    public void RampingInject_starts_from_the_previous_rate()
    {
        var phase = Open(Simulation.Inject(10, Second, Second), Simulation.RampingInject(20, Second, TimeSpan.FromSeconds(10)));

        // 10/s rising to 20/s for 10 s: 100 + 50 iterations.
        Assert.Equal(150, phase.Count);
        Assert.Equal(10, phase.StartRate);
        Assert.Equal(20, phase.EndRate);
        Assert.InRange(phase.OffsetOf(1).TotalMilliseconds, 99, 100);
        Assert.InRange(phase.OffsetOf(149).TotalMilliseconds, 9940, 10000);
    }

    [Fact]
    public void RampingInject_down_to_zero_spreads_out()
    {
        var phase = Open(Simulation.Inject(10, Second, Second), Simulation.RampingInject(0, Second, TimeSpan.FromSeconds(4)));
        var offsets = Offsets(phase);

        Assert.Equal(20, phase.Count);
        Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.Second > p.First));
        Assert.True(offsets[^1] < TimeSpan.FromSeconds(4));
        Assert.True(offsets[^1] - offsets[^2] > offsets[1] - offsets[0]);
    }

    [Fact]
    public void A_pause_resets_the_ramp_to_zero()
    {
        var phase = Open(Simulation.Inject(10, Second, Second), Simulation.Pause(Second), Simulation.RampingInject(10, Second, TimeSpan.FromSeconds(10)));

        Assert.Equal(0, phase.StartRate);
        Assert.Equal(50, phase.Count);
    }

    [Fact]
    public void IterationsForInject_starts_exactly_that_many()
    {
        var phase = Open(Simulation.IterationsForInject(4, Second, 10));

        Assert.Equal(10, phase.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(2250), phase.OffsetOf(9));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), phase.During);
    }

    [Fact]
    public void KeepConstant_holds_one_level()
    {
        var phase = (ClosedPhase)LoadPlan.Build([Simulation.KeepConstant(8, TimeSpan.FromSeconds(5))])[0];

        Assert.Equal([new CopyLevel(TimeSpan.Zero, 8)], phase.Levels);
        Assert.Equal(TimeSpan.FromSeconds(5), phase.During);
    }

    [Fact]
    public void RampingConstant_changes_one_copy_at_a_time_along_the_line()
    {
        var up = (ClosedPhase)LoadPlan.Build([Simulation.RampingConstant(10, TimeSpan.FromSeconds(10))])[0];

        Assert.Equal(11, up.Levels.Count);
        Assert.Equal(new CopyLevel(TimeSpan.Zero, 0), up.Levels[0]);
        Assert.Equal(new CopyLevel(TimeSpan.FromMilliseconds(500), 1), up.Levels[1]);
        Assert.Equal(new CopyLevel(TimeSpan.FromMilliseconds(9500), 10), up.Levels[10]);

        var down = (ClosedPhase)LoadPlan.Build([Simulation.KeepConstant(4, Second), Simulation.RampingConstant(2, TimeSpan.FromSeconds(2))])[1];
        Assert.Equal([new CopyLevel(TimeSpan.Zero, 4), new CopyLevel(TimeSpan.FromMilliseconds(500), 3), new CopyLevel(TimeSpan.FromMilliseconds(1500), 2)], down.Levels);
    }

    [Fact]
    public void Total_duration_sums_phases_and_is_open_ended_with_an_iteration_bound_closed_phase()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), LoadPlan.TotalDuration(LoadPlan.Build([Simulation.Inject(1, Second, TimeSpan.FromSeconds(2)), Simulation.Pause(Second), Simulation.KeepConstant(1, TimeSpan.FromSeconds(3))])));
        Assert.Null(LoadPlan.TotalDuration(LoadPlan.Build([Simulation.IterationsForConstant(1, 5)])));
    }

    [Fact]
    public void Bad_simulation_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulation.Inject(-1, Second, Second));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulation.Inject(1, TimeSpan.Zero, Second));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulation.KeepConstant(1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulation.IterationsForConstant(0, 5));
        Assert.Throws<ArgumentException>(() => Scenario.Create("x", _ => Task.FromResult<IResponse>(Response.Ok())).WithLoadSimulations());
    }
}
