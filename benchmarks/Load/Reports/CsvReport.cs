using System.Text;

namespace Cocoon.Benchmarks.Load;

/// <summary>Machine-readable reports: one row per scenario/step and outcome, and one row per scenario-second.</summary>
public static class CsvReport
{
    public static string RenderStats(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        b.AppendLine("test,scenario,step,outcome,count,rps,percent,min_ms,mean_ms,max_ms,stddev_ms,p50_ms,p75_ms,p95_ms,p99_ms,p99_9_ms,all_bytes,mean_bytes,"
            + "ttft_p50_ms,ttft_p95_ms,ttft_p99_ms,itl_p50_ms,itl_p95_ms,itl_p99_ms,output_tokens,output_tokens_per_s,goodput_count,goodput_percent,goodput_per_s");
        foreach (var s in result.ScenarioStats)
        {
            Row(b, result.TestName, s.ScenarioName, "", "ok", s.Ok, s.Llm, s.Goodput);
            Row(b, result.TestName, s.ScenarioName, "", "fail", s.Fail, null, null);
            foreach (var step in s.StepStats)
            {
                Row(b, result.TestName, s.ScenarioName, step.StepName, "ok", step.Ok, step.Llm, step.Goodput);
                Row(b, result.TestName, s.ScenarioName, step.StepName, "fail", step.Fail, null, null);
            }
        }

        return b.ToString();
    }

    public static string RenderTimeSeries(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder();
        b.AppendLine("scenario,second,ok,fail,bytes,mean_ms,p50_ms,p95_ms,p99_ms,max_ms");
        foreach (var s in result.ScenarioStats)
        {
            foreach (var p in s.TimeSeries)
            {
                b.AppendLine(string.Join(',', Field(s.ScenarioName), p.Second, p.OkCount, p.FailCount, p.Bytes,
                    ReportText.N(p.MeanMs, "0.###"), ReportText.N(p.P50Ms, "0.###"), ReportText.N(p.P95Ms, "0.###"), ReportText.N(p.P99Ms, "0.###"), ReportText.N(p.MaxMs, "0.###")));
            }
        }

        return b.ToString();
    }

    private static void Row(StringBuilder b, string test, string scenario, string step, string outcome, MeasurementStats m, LlmStats? llm, GoodputStats? goodput)
    {
        var l = m.Latency;
        string N(double v) => ReportText.N(v, "0.###");
        var fields = new List<string>
        {
            Field(test), Field(scenario), Field(step), outcome, m.Request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            N(m.Request.RPS), N(m.Request.Percent), N(l.MinMs), N(l.MeanMs), N(l.MaxMs), N(l.StdDev),
            N(l.Percent50), N(l.Percent75), N(l.Percent95), N(l.Percent99), N(l.Percent999),
            m.DataTransfer.AllBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), N(m.DataTransfer.MeanBytes),
        };
        fields.AddRange(llm is null
            ? ["", "", "", "", "", "", "", ""]
            : [N(llm.TimeToFirstToken.Percent50), N(llm.TimeToFirstToken.Percent95), N(llm.TimeToFirstToken.Percent99),
               N(llm.InterTokenLatency.Percent50), N(llm.InterTokenLatency.Percent95), N(llm.InterTokenLatency.Percent99),
               llm.OutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), N(llm.OutputTokensPerSecond)]);
        fields.AddRange(goodput is null
            ? ["", "", ""]
            : [goodput.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), N(goodput.Percent), N(goodput.PerSecond)]);
        b.AppendLine(string.Join(',', fields));
    }

    /// <summary>RFC 4180 quoting for names that carry commas, quotes or line breaks.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
