using System.Text;

namespace Cocoon.Benchmarks.Load;

/// <summary>The report as Markdown tables, for pull requests and wikis.</summary>
public static class MarkdownReport
{
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        b.AppendLine($"# Load test `{Escape(result.TestName)}`");
        b.AppendLine();
        b.AppendLine($"Started {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, took {ReportText.Seconds(result.Duration)}. Result: **{ReportText.Outcome(result)}** (exit code {result.ExitCode}).");
        foreach (var s in result.ScenarioStats)
        {
            b.AppendLine();
            b.AppendLine($"## Scenario `{Escape(s.ScenarioName)}`");
            b.AppendLine();
            b.AppendLine($"Load: {Escape(string.Join(" → ", s.LoadSimulations))}; duration {ReportText.Seconds(s.Duration)}.");
            b.AppendLine();
            b.AppendLine("| name | outcome | count | rps | % | p50 | p75 | p95 | p99 | p99.9 | min | mean | max | stddev | bytes |");
            b.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Row(b, "(scenario)", "ok", s.Ok);
            Row(b, "(scenario)", "fail", s.Fail);
            foreach (var step in s.StepStats)
            {
                Row(b, step.StepName, "ok", step.Ok);
                Row(b, step.StepName, "fail", step.Fail);
            }

            if (s.Llm is { } llm)
            {
                b.AppendLine();
                b.AppendLine("| token metric | p50 | p95 | p99 | mean | max |");
                b.AppendLine("|---|---:|---:|---:|---:|---:|");
                LlmRow(b, "time to first token", llm.TimeToFirstToken);
                LlmRow(b, "inter-token latency", llm.InterTokenLatency);
                LlmRow(b, "time per output token", llm.TimePerOutputToken);
                b.AppendLine();
                b.AppendLine($"Output: {llm.OutputTokens} tokens, {ReportText.N(llm.OutputTokensPerSecond, "0.0")} tokens/s.");
            }

            if (s.Goodput is { } g)
            {
                b.AppendLine();
                b.AppendLine($"Goodput ({Escape(g.Slo.ToString())}): {g.Count} requests, {ReportText.N(g.Percent)}%, {ReportText.N(g.PerSecond, "0.0")}/s.");
            }

            var codes = s.Ok.StatusCodes.Concat(s.Fail.StatusCodes).ToArray();
            if (codes.Length > 0)
            {
                b.AppendLine();
                b.AppendLine("| status code | count | message |");
                b.AppendLine("|---|---:|---|");
                foreach (var c in codes)
                {
                    b.AppendLine($"| {Escape(c.StatusCode)} | {c.Count} | {Escape(c.Message)} |");
                }
            }
        }

        if (result.Thresholds.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("## Thresholds");
            b.AppendLine();
            b.AppendLine("| scenario | step | threshold | actual | result |");
            b.AppendLine("|---|---|---|---|---|");
            foreach (var t in result.Thresholds)
            {
                b.AppendLine($"| {Escape(t.ScenarioName)} | {Escape(t.StepName ?? "")} | `{Escape(t.Description)}` | {Escape(t.Actual ?? t.Error ?? "")} | {(t.Passed ? "passed" : "**BREACHED**")} |");
            }
        }

        if (result.Errors.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("## Errors");
            b.AppendLine();
            foreach (var e in result.Errors)
            {
                b.AppendLine($"- {Escape(e)}");
            }
        }

        return b.ToString();
    }

    private static void Row(StringBuilder b, string name, string outcome, MeasurementStats m)
    {
        var l = m.Latency;
        b.AppendLine($"| {Escape(name)} | {outcome} | {m.Request.Count} | {ReportText.N(m.Request.RPS, "0.0")} | {ReportText.N(m.Request.Percent)} | "
            + $"{ReportText.Ms(l.Percent50)} | {ReportText.Ms(l.Percent75)} | {ReportText.Ms(l.Percent95)} | {ReportText.Ms(l.Percent99)} | {ReportText.Ms(l.Percent999)} | "
            + $"{ReportText.Ms(l.MinMs)} | {ReportText.Ms(l.MeanMs)} | {ReportText.Ms(l.MaxMs)} | {ReportText.Ms(l.StdDev)} | {ReportText.Bytes(m.DataTransfer.AllBytes)} |");
    }

    private static void LlmRow(StringBuilder b, string name, LatencyStats l) =>
        b.AppendLine($"| {name} | {ReportText.Ms(l.Percent50)} | {ReportText.Ms(l.Percent95)} | {ReportText.Ms(l.Percent99)} | {ReportText.Ms(l.MeanMs)} | {ReportText.Ms(l.MaxMs)} |");

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
