using System.Text.RegularExpressions;
using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class ReportTests
{
    private static async Task<RunResult> RunWithReports(string folder)
    {
        var clock = new VirtualLoadClock();
        var scenario = Scenario.Create("report <&> \"me\", please", async context =>
            {
                var step = await Step.Run("stream", context, () =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(20));
                    context.RecordTokens();
                    clock.Advance(TimeSpan.FromMilliseconds(2));
                    context.RecordTokens(2);
                    return Task.FromResult(context.InvocationNumber % 10 == 9 ? Response.Fail("500", "x") : Response.Ok(sizeBytes: 10));
                });
                return step;
            })
            .WithSlo(new Slo(Latency: TimeSpan.FromMilliseconds(50)))
            .WithThresholds(Threshold.Parse("p99 < 1ms"))
            .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
        return await NBomberRunner.RegisterScenarios(scenario)
            .WithClock(clock)
            .WithTestName("reports")
            .WithReportFolder(folder)
            .WithConsole(new StringWriter())
            .RunAsync();
    }

    [Fact]
    public async Task All_report_files_are_written()
    {
        var folder = RunnerHelpers.NewTempFolder();

        var result = await RunWithReports(folder);

        Assert.Equal(
            ["report-timeseries.csv", "report.csv", "report.html", "report.md", "report.txt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(5, result.ReportFiles.Count);
        var txt = await File.ReadAllTextAsync(Path.Combine(folder, "report.txt"));
        Assert.Matches(@"latency: p50 [0-9.]+ ms, p95 [0-9.]+ ms, p99 [0-9.]+ ms", txt);
        Assert.Contains("time to first token", txt);
        Assert.Contains("BREACHED", txt);
        var md = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
        Assert.Contains("| (scenario) | ok | 54 |", md);
        var csv = await File.ReadAllLinesAsync(Path.Combine(folder, "report.csv"));
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("test,scenario,step,outcome,count", csv[0]);
        Assert.All(csv, line => Assert.Equal(29, Regex.Matches(line.Replace("\"report <&> \"\"me\"\", please\"", "s"), ",").Count + 1));
        var series = await File.ReadAllLinesAsync(Path.Combine(folder, "report-timeseries.csv"));
        Assert.Equal(4, series.Length);
    }

    [Fact]
    public async Task Html_is_self_contained_with_charts()
    {
        var folder = RunnerHelpers.NewTempFolder();
        await RunWithReports(folder);

        var html = await File.ReadAllTextAsync(Path.Combine(folder, "report.html"));

        Assert.DoesNotMatch(@"(?i)(src|href)\s*=\s*[""']?\s*(https?:)?//", html);
        Assert.DoesNotMatch(@"(?i)https?://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, Regex.Matches(html, "<svg ").Count);
        Assert.Contains("Latency over time", html);
        Assert.Contains("Latency by percentile", html);
        Assert.Contains("<polyline", html);
        Assert.Contains("report &lt;&amp;&gt; &quot;me&quot;, please", html);
        Assert.DoesNotContain("report <&>", html);
    }
}
