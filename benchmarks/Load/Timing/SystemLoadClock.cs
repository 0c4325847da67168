using System.Diagnostics;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// The real clock. A wait sleeps on a timer rounded up to the next whole millisecond, so a start is never early and
/// at most about a millisecond (the timer's granularity) late; that lateness counts toward the open model's latency,
/// which runs from the due time. It never spins: on a small machine a spinning load generator takes the CPU the system
/// under test needs (the previous clock yielded in a loop for the last 1.5 ms of every wait, about a quarter of a
/// core at 100 requests/s). At high rates every start that falls due within one tick is released by that tick.
/// </summary>
internal sealed class SystemLoadClock : LoadClock
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public override TimeSpan Elapsed => Stopwatch.GetElapsedTime(_origin);

    public override async ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var remaining = due - Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
