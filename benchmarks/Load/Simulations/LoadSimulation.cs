namespace Cocoon.Benchmarks.Load;

/// <summary>
/// One phase of load, as in NBomber. Phases run one after another. Inject and RampingInject are the open model
/// (iterations start on a schedule, whatever the target does); KeepConstant and RampingConstant the closed model
/// (a number of copies, each running iterations back to back). Create them with <see cref="Simulation"/>.
/// </summary>
public abstract record LoadSimulation
{
    private protected LoadSimulation()
    {
    }

    /// <summary>Starts <paramref name="Rate"/> iterations per <paramref name="Interval"/>, evenly spaced, for <paramref name="During"/>.</summary>
    public sealed record Inject(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
    {
        public override string ToString() => $"Inject(rate: {Rate}, interval: {DurationText.Format(Interval)}, during: {DurationText.Format(During)})";
    }

    /// <summary>Changes the injection rate linearly from the previous phase's rate (0 after a closed phase or a pause) to <paramref name="Rate"/>.</summary>
    public sealed record RampingInject(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
    {
        public override string ToString() => $"RampingInject(rate: {Rate}, interval: {DurationText.Format(Interval)}, during: {DurationText.Format(During)})";
    }

    /// <summary>Keeps <paramref name="Copies"/> copies looping for <paramref name="During"/>.</summary>
    public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation
    {
        public override string ToString() => $"KeepConstant(copies: {Copies}, during: {DurationText.Format(During)})";
    }

    /// <summary>Changes the number of copies linearly from the previous phase's (0 after an open phase or a pause) to <paramref name="Copies"/>.</summary>
    public sealed record RampingConstant(int Copies, TimeSpan During) : LoadSimulation
    {
        public override string ToString() => $"RampingConstant(copies: {Copies}, during: {DurationText.Format(During)})";
    }

    /// <summary>No new iterations for <paramref name="During"/>.</summary>
    public sealed record Pause(TimeSpan During) : LoadSimulation
    {
        public override string ToString() => $"Pause(during: {DurationText.Format(During)})";
    }

    /// <summary><paramref name="Copies"/> copies share <paramref name="Iterations"/> iterations; the phase ends when they are done.</summary>
    public sealed record IterationsForConstant(int Copies, long Iterations) : LoadSimulation
    {
        public override string ToString() => $"IterationsForConstant(copies: {Copies}, iterations: {Iterations})";
    }

    /// <summary>Injects at a constant rate until <paramref name="Iterations"/> iterations have started.</summary>
    public sealed record IterationsForInject(int Rate, TimeSpan Interval, long Iterations) : LoadSimulation
    {
        public override string ToString() => $"IterationsForInject(rate: {Rate}, interval: {DurationText.Format(Interval)}, iterations: {Iterations})";
    }
}
