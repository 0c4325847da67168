namespace Cocoon.Benchmarks.Load;

/// <summary>
/// The load generator's monotonic clock: it decides when iterations are due and stamps when they end.
/// Tests substitute a virtual clock to make schedules and latencies exact.
/// </summary>
public abstract class LoadClock
{
    /// <summary>Time since the clock's origin.</summary>
    public abstract TimeSpan Elapsed { get; }

    /// <summary>Completes at <paramref name="due"/>, at once when that has passed.</summary>
    public abstract ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken);

    public static LoadClock CreateSystem() => new SystemLoadClock();
}
