using System.Globalization;
using System.Net;
using System.Text;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// One self-contained HTML file: inline CSS and inline SVG charts (latency over time, throughput over time,
/// latency by percentile), no scripts and no external URLs, so it opens offline and can be attached anywhere.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d232b;background:#fff}
        h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
        table{border-collapse:collapse;margin:.75rem 0;font-size:.85rem}
        th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}th{background:#f3f5f7}
        td:first-child,th:first-child,td.l{text-align:left}
        .pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
        svg{display:block;margin:.5rem 0;font-size:11px}svg .title{font-size:13px;font-weight:600}
        svg .grid{stroke:#eaeef2}svg .frame{fill:none;stroke:#8c959f}
        .summary{font-size:1.05rem}
        """;

    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        b.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        b.Append($"<title>Load test {E(result.TestName)}</title><style>{Style}</style></head><body>");
        b.Append($"<h1>Load test {E(result.TestName)}</h1>");
        var outcomeClass = result.ExitCode == LoadExitCodes.Success ? "pass" : "fail";
        b.Append(CultureInfo.InvariantCulture,
            $"<p class=\"summary\">Started {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, took {E(ReportText.Seconds(result.Duration))}. Result: <span class=\"{outcomeClass}\">{E(ReportText.Outcome(result))}</span> (exit code {result.ExitCode}).</p>");

        foreach (var s in result.ScenarioStats)
        {
            Scenario(b, s);
        }

        if (result.Thresholds.Count > 0)
        {
            b.Append("<h2>Thresholds</h2><table><tr><th>scenario</th><th>step</th><th>threshold</th><th>actual</th><th>result</th></tr>");
            foreach (var t in result.Thresholds)
            {
                b.Append($"<tr><td>{E(t.ScenarioName)}</td><td class=\"l\">{E(t.StepName ?? "")}</td><td class=\"l\"><code>{E(t.Description)}</code></td><td>{E(t.Actual ?? t.Error ?? "")}</td>");
                b.Append(t.Passed ? "<td class=\"pass\">passed</td></tr>" : "<td class=\"fail\">BREACHED</td></tr>");
            }

            b.Append("</table>");
        }

        if (result.Errors.Count > 0)
        {
            b.Append("<h2>Errors</h2><ul>");
            foreach (var e in result.Errors)
            {
                b.Append($"<li>{E(e)}</li>");
            }

            b.Append("</ul>");
        }

        b.Append("</body></html>");
        return b.ToString();
    }

    private static void Scenario(StringBuilder b, ScenarioStats s)
    {
        b.Append($"<h2>Scenario {E(s.ScenarioName)}</h2>");
        b.Append($"<p>Load: {E(string.Join(" → ", s.LoadSimulations))}; duration {E(ReportText.Seconds(s.Duration))}; ");
        b.Append(CultureInfo.InvariantCulture, $"{s.AllRequestCount} requests, {s.AllOkCount} ok, {s.AllFailCount} failed. ");
        b.Append($"Latency {E(ReportText.Percentiles(s.Ok.Latency))}.</p>");

        b.Append("<table><tr><th>name</th><th>outcome</th><th>count</th><th>rps</th><th>%</th><th>p50</th><th>p75</th><th>p95</th><th>p99</th><th>p99.9</th><th>min</th><th>mean</th><th>max</th><th>stddev</th><th>bytes</th></tr>");
        Row(b, "(scenario)", "ok", s.Ok);
        Row(b, "(scenario)", "fail", s.Fail);
        foreach (var step in s.StepStats)
        {
            Row(b, step.StepName, "ok", step.Ok);
            Row(b, step.StepName, "fail", step.Fail);
        }

        b.Append("</table>");

        if (s.Llm is { } llm)
        {
            b.Append("<table><tr><th>token metric</th><th>p50</th><th>p95</th><th>p99</th><th>mean</th><th>max</th></tr>");
            LlmRow(b, "time to first token", llm.TimeToFirstToken);
            LlmRow(b, "inter-token latency", llm.InterTokenLatency);
            LlmRow(b, "time per output token", llm.TimePerOutputToken);
            b.Append("</table>");
            b.Append(CultureInfo.InvariantCulture, $"<p>Output: {llm.OutputTokens} tokens, {E(ReportText.N(llm.OutputTokensPerSecond, "0.0"))} tokens/s.</p>");
        }

        if (s.Goodput is { } g)
        {
            b.Append(CultureInfo.InvariantCulture, $"<p>Goodput ({E(g.Slo.ToString())}): {g.Count} requests, {E(ReportText.N(g.Percent))}%, {E(ReportText.N(g.PerSecond, "0.0"))}/s.</p>");
        }

        var codes = s.Ok.StatusCodes.Concat(s.Fail.StatusCodes).ToArray();
        if (codes.Length > 0)
        {
            b.Append("<table><tr><th>status code</th><th>count</th><th>message</th></tr>");
            foreach (var c in codes)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(c.StatusCode)}</td><td>{c.Count}</td><td class=\"l\">{E(c.Message)}</td></tr>");
            }

            b.Append("</table>");
        }

        var series = s.TimeSeries;
        var lastSecond = series.Count == 0 ? 1 : series[^1].Second + 1;
        var timeTicks = SvgChart.LinearTicks(lastSecond, x => $"{x:0}s");
        b.Append(SvgChart.Lines("Latency over time (OK requests, per second)", "ms",
        [
            new("p50", "#2f81f7", [.. series.Where(p => p.OkCount > 0).Select(p => ((double)p.Second, p.P50Ms))]),
            new("p95", "#d29922", [.. series.Where(p => p.OkCount > 0).Select(p => ((double)p.Second, p.P95Ms))]),
            new("p99", "#cf222e", [.. series.Where(p => p.OkCount > 0).Select(p => ((double)p.Second, p.P99Ms))]),
        ], timeTicks));
        b.Append(SvgChart.Lines("Throughput over time", "/s",
        [
            new("ok", "#1a7f37", [.. series.Select(p => ((double)p.Second, (double)p.OkCount))]),
            new("fail", "#cf222e", [.. series.Select(p => ((double)p.Second, (double)p.FailCount))]),
        ], timeTicks));

        // Percentiles on a log scale of 1/(1-p): 90%, 99%, 99.9% … are evenly spaced, as in HdrHistogram plots.
        var distribution = s.Ok.Latency.Distribution.Where(p => p.Percentile < 100).ToArray();
        (double X, string Label)[] percentileTicks = [(0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%"), (5, "99.999%")];
        b.Append(SvgChart.Lines("Latency by percentile (OK requests)", "ms",
            [new("latency", "#8250df", [.. distribution.Select(p => (-Math.Log10(1 - p.Percentile / 100), p.LatencyMs))])],
            percentileTicks));
    }

    private static void Row(StringBuilder b, string name, string outcome, MeasurementStats m)
    {
        var l = m.Latency;
        b.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(name)}</td><td class=\"l\">{outcome}</td><td>{m.Request.Count}</td><td>{E(ReportText.N(m.Request.RPS, "0.0"))}</td><td>{E(ReportText.N(m.Request.Percent))}</td>");
        foreach (var v in new[] { l.Percent50, l.Percent75, l.Percent95, l.Percent99, l.Percent999, l.MinMs, l.MeanMs, l.MaxMs, l.StdDev })
        {
            b.Append($"<td>{E(ReportText.Ms(v))}</td>");
        }

        b.Append($"<td>{E(ReportText.Bytes(m.DataTransfer.AllBytes))}</td></tr>");
    }

    private static void LlmRow(StringBuilder b, string name, LatencyStats l) =>
        b.Append($"<tr><td>{name}</td><td>{E(ReportText.Ms(l.Percent50))}</td><td>{E(ReportText.Ms(l.Percent95))}</td><td>{E(ReportText.Ms(l.Percent99))}</td><td>{E(ReportText.Ms(l.MeanMs))}</td><td>{E(ReportText.Ms(l.MaxMs))}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
