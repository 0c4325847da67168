namespace Cocoon.Benchmarks.Load;

/// <summary>One simulation with its schedule worked out; times are offsets from the phase's start.</summary>
public abstract class PlannedPhase(LoadSimulation simulation, TimeSpan? during)
{
    public LoadSimulation Simulation { get; } = simulation;

    /// <summary>The phase's length; null when it ends on an iteration count instead.</summary>
    public TimeSpan? During { get; } = during;

    public override string ToString() => Simulation.ToString();
}

/// <summary>No new iterations start.</summary>
public sealed class PausePhase(LoadSimulation simulation, TimeSpan during) : PlannedPhase(simulation, during);

/// <summary>A number of copies, each running iterations back to back.</summary>
public sealed class ClosedPhase(LoadSimulation simulation, IReadOnlyList<CopyLevel> levels, TimeSpan? during, long? iterations)
    : PlannedPhase(simulation, during)
{
    /// <summary>When the number of copies changes, in order; the first is at offset zero.</summary>
    public IReadOnlyList<CopyLevel> Levels { get; } = levels;

    /// <summary>Iterations shared by all copies, for an iteration-bound phase.</summary>
    public long? Iterations { get; } = iterations;
}

/// <summary>The number of copies from <paramref name="At"/> on.</summary>
public readonly record struct CopyLevel(TimeSpan At, int Copies);
