using System.Diagnostics;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// The real clock. Timers fire with about a millisecond of jitter, so the last stretch before a due time is
/// spent yielding the thread instead: schedules of sub-millisecond targets stay accurate without a busy core.
/// </summary>
internal sealed class SystemLoadClock : LoadClock
{
    private static readonly TimeSpan TimerMargin = TimeSpan.FromMilliseconds(1.5);
    private readonly long _origin = Stopwatch.GetTimestamp();

    public override TimeSpan Elapsed => Stopwatch.GetElapsedTime(_origin);

    public override async ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var remaining = due - Elapsed;
        if (remaining > TimerMargin)
        {
            await Task.Delay(remaining - TimerMargin, cancellationToken).ConfigureAwait(false);
        }

        while (Elapsed < due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Yield();
        }
    }
}
