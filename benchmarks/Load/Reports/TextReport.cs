using System.Text;

namespace Cocoon.Benchmarks.Load;

/// <summary>The plain-text summary, printed at the end of a run and saved as the .txt report.</summary>
public static class TextReport
{
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        b.AppendLine();
        b.AppendLine($"test '{result.TestName}', started {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, took {ReportText.Seconds(result.Duration)}");
        foreach (var s in result.ScenarioStats)
        {
            b.AppendLine();
            b.AppendLine($"scenario '{s.ScenarioName}'  ({string.Join(" -> ", s.LoadSimulations)})");
            b.AppendLine($"  requests: {s.AllRequestCount} in {ReportText.Seconds(s.Duration)}; ok {s.AllOkCount} ({ReportText.N(s.Ok.Request.Percent)}%), "
                + $"fail {s.AllFailCount} ({ReportText.N(s.Fail.Request.Percent)}%); {ReportText.N(s.Ok.Request.RPS, "0.0")} ok/s");
            AppendMeasurement(b, "  ", s.Ok, s.Fail, s.Llm, s.Goodput);
            foreach (var step in s.StepStats)
            {
                b.AppendLine($"  step '{step.StepName}': ok {step.Ok.Request.Count}, fail {step.Fail.Request.Count}");
                AppendMeasurement(b, "    ", step.Ok, step.Fail, step.Llm, step.Goodput);
            }
        }

        if (result.Thresholds.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("thresholds:");
            foreach (var t in result.Thresholds)
            {
                b.AppendLine($"  {t}");
            }
        }

        foreach (var error in result.Errors)
        {
            b.AppendLine($"error: {error}");
        }

        if (result.ReportFiles.Count > 0)
        {
            b.AppendLine();
            b.AppendLine($"reports: {string.Join(", ", result.ReportFiles)}");
        }

        b.AppendLine();
        b.AppendLine($"result: {ReportText.Outcome(result)} (exit code {result.ExitCode})");
        return b.ToString();
    }

    private static void AppendMeasurement(StringBuilder b, string indent, MeasurementStats ok, MeasurementStats fail, LlmStats? llm, GoodputStats? goodput)
    {
        var l = ok.Latency;
        if (ok.Request.Count > 0)
        {
            b.AppendLine($"{indent}latency: {ReportText.Percentiles(l)}");
            b.AppendLine($"{indent}         min {ReportText.Ms(l.MinMs)}, mean {ReportText.Ms(l.MeanMs)}, max {ReportText.Ms(l.MaxMs)}, "
                + $"stddev {ReportText.Ms(l.StdDev)}, p75 {ReportText.Ms(l.Percent75)}, p99.9 {ReportText.Ms(l.Percent999)}");
            b.AppendLine($"{indent}data: {ReportText.Bytes(ok.DataTransfer.AllBytes)} in all, {ReportText.Bytes(ok.DataTransfer.MeanBytes)} mean");
        }

        if (fail.Request.Count > 0)
        {
            b.AppendLine($"{indent}failed latency: {ReportText.Percentiles(fail.Latency)}");
            foreach (var code in fail.StatusCodes)
            {
                b.AppendLine($"{indent}  {code.StatusCode} x{code.Count}{(code.Message.Length > 0 ? $": {code.Message}" : "")}");
            }
        }

        if (llm is not null)
        {
            b.AppendLine($"{indent}time to first token: {ReportText.Percentiles(llm.TimeToFirstToken)}");
            b.AppendLine($"{indent}inter-token latency: {ReportText.Percentiles(llm.InterTokenLatency)}");
            b.AppendLine($"{indent}output: {llm.OutputTokens} tokens, {ReportText.N(llm.OutputTokensPerSecond, "0.0")} tokens/s");
        }

        if (goodput is not null)
        {
            b.AppendLine($"{indent}goodput ({goodput.Slo}): {goodput.Count} requests, {ReportText.N(goodput.Percent)}%, {ReportText.N(goodput.PerSecond, "0.0")}/s");
        }
    }
}
