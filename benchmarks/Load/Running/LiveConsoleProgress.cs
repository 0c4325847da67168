using Spectre.Console;

namespace Cocoon.Benchmarks.Load;

/// <summary>A table redrawn in place about once a second (Spectre.Console live display).</summary>
internal sealed class LiveConsoleProgress : IRunProgress
{
    public async Task ShowAsync(Task run, Func<IReadOnlyList<ScenarioProgress>> snapshot)
    {
        var previous = new Dictionary<string, long>();
        await AnsiConsole.Live(Render(snapshot(), previous))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
                    context.UpdateTarget(Render(snapshot(), previous));
                    context.Refresh();
                }
            })
            .ConfigureAwait(false);
        await run.ConfigureAwait(false);
    }

    private static Table Render(IReadOnlyList<ScenarioProgress> progress, Dictionary<string, long> previous)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Cocoon load test[/]");
        table.AddColumns("scenario", "phase", "elapsed", "ok", "fail", "rps", "in flight", "p50", "p99");
        foreach (var p in progress)
        {
            var all = p.Stats.OkCount + p.Stats.FailCount;
            var rate = all - previous.GetValueOrDefault(p.ScenarioName);
            previous[p.ScenarioName] = all;
            table.AddRow(
                Markup.Escape(p.ScenarioName),
                Markup.Escape(p.Phase),
                p.Elapsed.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture),
                $"[green]{p.Stats.OkCount}[/]",
                p.Stats.FailCount > 0 ? $"[red]{p.Stats.FailCount}[/]" : "0",
                rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                p.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(DurationText.FormatMs(p.Stats.P50Ms)),
                Markup.Escape(DurationText.FormatMs(p.Stats.P99Ms)));
        }

        return table;
    }
}
