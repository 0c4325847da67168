namespace Cocoon.Client.Tests.Hosting;

/// <summary>Waits on a condition with a deadline (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan within, Func<string> because)
    {
        var until = DateTime.UtcNow + within;
        var delay = TimeSpan.FromMilliseconds(50);
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }
        throw new TimeoutException($"Condition not met within {within}: {because()}{(last is null ? "" : $" (last error: {last.Message})")}");
    }
}
