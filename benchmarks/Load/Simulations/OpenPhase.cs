namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Iterations at intended start times. The rate (per second) moves linearly from <see cref="StartRate"/> to
/// <see cref="EndRate"/>; iteration i is due when the integral of the rate reaches i. So a constant rate gives
/// evenly spaced starts and a ramp a smoothly tightening (or widening) schedule, with no bursts at interval edges.
/// </summary>
public sealed class OpenPhase : PlannedPhase
{
    private readonly double _a;
    private readonly double _b;

    internal OpenPhase(LoadSimulation simulation, double startRate, double endRate, TimeSpan during, long? iterations)
        : base(simulation, during)
    {
        StartRate = startRate;
        EndRate = endRate;
        var seconds = during.TotalSeconds;
        _a = startRate;
        _b = (endRate - startRate) / seconds;

        // A tiny epsilon keeps exact products (10/s for 1 s) from losing their last iteration to rounding.
        Count = iterations ?? (long)Math.Floor(_a * seconds + _b * seconds * seconds / 2 + 1e-9);
    }

    public double StartRate { get; }

    public double EndRate { get; }

    /// <summary>How many iterations this phase starts.</summary>
    public long Count { get; }

    /// <summary>The intended start of iteration <paramref name="index"/>, from the phase's start.</summary>
    public TimeSpan OffsetOf(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index == 0)
        {
            return TimeSpan.Zero;
        }

        // Solves a·t + b·t²/2 = i in the form that stays exact for b = 0 and stable for small b.
        var discriminant = Math.Max(0, _a * _a + 2 * _b * index);
        var seconds = 2.0 * index / (_a + Math.Sqrt(discriminant));
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }
}
