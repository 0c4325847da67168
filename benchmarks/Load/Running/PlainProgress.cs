using System.Globalization;

namespace Cocoon.Benchmarks.Load;

/// <summary>One line per scenario per second, for redirected output and logs.</summary>
internal sealed class PlainProgress(TextWriter output) : IRunProgress
{
    public async Task ShowAsync(Task run, Func<IReadOnlyList<ScenarioProgress>> snapshot)
    {
        var previous = new Dictionary<string, long>();
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            if (run.IsCompleted)
            {
                break;
            }

            foreach (var p in snapshot())
            {
                var all = p.Stats.OkCount + p.Stats.FailCount;
                var rate = all - previous.GetValueOrDefault(p.ScenarioName);
                previous[p.ScenarioName] = all;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{p.Elapsed:hh\\:mm\\:ss}] {p.ScenarioName} | {p.Phase} | ok {p.Stats.OkCount} fail {p.Stats.FailCount} | {rate}/s | in flight {p.InFlight} | p50 {DurationText.FormatMs(p.Stats.P50Ms)} p99 {DurationText.FormatMs(p.Stats.P99Ms)}"))
                    .ConfigureAwait(false);
            }
        }

        await run.ConfigureAwait(false);
    }
}
