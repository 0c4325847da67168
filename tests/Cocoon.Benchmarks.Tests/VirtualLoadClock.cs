using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

/// <summary>
/// A clock that only moves when told: waiting for a due time jumps there at once, and a target "takes time" by
/// advancing it. Schedules and latencies become exact, with no wall-clock in the assertions.
/// </summary>
internal sealed class VirtualLoadClock : LoadClock
{
    private long _ticks;

    public override TimeSpan Elapsed => new(Interlocked.Read(ref _ticks));

    public override ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        MoveTo(due);
        return ValueTask.CompletedTask;
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    private void MoveTo(TimeSpan due)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (current >= due.Ticks)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, due.Ticks, current) != current);
    }
}
