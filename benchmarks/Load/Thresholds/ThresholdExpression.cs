using System.Globalization;
using System.Text.RegularExpressions;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// <c>METRIC OP VALUE[UNIT]</c>. Latency metrics (OK requests): p50 p75 p95 p99 p99.9 mean min max stddev, also
/// prefixed by ttft, itl or tpot for token timings; units us, ms (default), s, m. Percent metrics: fail percent,
/// ok percent, goodput percent. Counts: count, ok count, fail count. Rates: rps, fail rps, goodput rps, tokens/s.
/// Operators: &lt; &lt;= &gt; &gt;= == !=.
/// </summary>
internal sealed partial class ThresholdExpression
{
    private const string Help =
        "expected 'METRIC OP VALUE[UNIT]' such as 'p99 < 50ms', 'fail percent < 1' or 'rps > 900'; metrics: "
        + "p50 p75 p95 p99 p99.9 mean min max stddev (also as 'ttft p99', 'itl p99', 'tpot p99'), "
        + "fail percent, ok percent, goodput percent, count, ok count, fail count, rps, fail rps, goodput rps, tokens/s; "
        + "operators: < <= > >= == !=";

    private static readonly string[] LatencyStatistics = ["p50", "p75", "p95", "p99", "p99.9", "mean", "min", "max", "stddev"];

    private readonly Func<StatsView, double> _read;
    private readonly string _op;
    private readonly double _limit;
    private readonly string _unit;

    private ThresholdExpression(string text, Func<StatsView, double> read, string op, double limit, string unit)
    {
        Text = text;
        _read = read;
        _op = op;
        _limit = limit;
        _unit = unit;
    }

    public string Text { get; }

    public static ThresholdExpression Parse(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new ThresholdFormatException($"Empty threshold: {Help}.");
        }

        var match = Pattern().Match(expression);
        if (!match.Success)
        {
            throw new ThresholdFormatException($"Threshold '{expression}' is not understood: {Help}.");
        }

        var metric = Whitespace().Replace(match.Groups["metric"].Value.Trim().ToLowerInvariant(), " ");
        var op = match.Groups["op"].Value;
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var text = Whitespace().Replace(expression.Trim(), " ");

        if (LatencyReader(metric) is { } latency)
        {
            var factor = unit switch
            {
                "" or "ms" => 1.0,
                "us" or "µs" => 0.001,
                "s" => 1000.0,
                "m" => 60_000.0,
                _ => throw new ThresholdFormatException($"Threshold '{expression}': '{unit}' is not a time unit (us, ms, s, m); {Help}."),
            };
            return new ThresholdExpression(text, latency, op, value * factor, "ms");
        }

        Func<StatsView, double>? read = metric switch
        {
            "fail percent" or "fail %" or "fail" => v => v.Fail.Request.Percent,
            "ok percent" or "ok %" => v => v.Ok.Request.Percent,
            "goodput percent" or "goodput %" => v => RequireGoodput(v).Percent,
            "count" or "all count" or "request count" => v => v.Ok.Request.Count + v.Fail.Request.Count,
            "ok count" => v => v.Ok.Request.Count,
            "fail count" => v => v.Fail.Request.Count,
            "rps" or "ok rps" => v => v.Ok.Request.RPS,
            "fail rps" => v => v.Fail.Request.RPS,
            "goodput rps" or "goodput" => v => RequireGoodput(v).PerSecond,
            "tokens/s" or "output tokens/s" => v => RequireLlm(v).OutputTokensPerSecond,
            _ => null,
        };
        if (read is null)
        {
            throw new ThresholdFormatException($"Threshold '{expression}': unknown metric '{metric}'; {Help}.");
        }

        var expectedUnit = metric.Contains('%') || metric.EndsWith("percent", StringComparison.Ordinal) ? "%"
            : metric.Contains("rps", StringComparison.Ordinal) || metric.EndsWith("/s", StringComparison.Ordinal) || metric == "goodput" ? "/s"
            : "";
        if (unit.Length > 0 && unit != expectedUnit)
        {
            throw new ThresholdFormatException($"Threshold '{expression}': unit '{unit}' does not fit metric '{metric}'; {Help}.");
        }

        return new ThresholdExpression(text, read, op, value, expectedUnit);
    }

    public (bool Passed, string Actual) Evaluate(StatsView view)
    {
        var actual = _read(view);
        var passed = _op switch
        {
            "<" => actual < _limit,
            "<=" => actual <= _limit,
            ">" => actual > _limit,
            ">=" => actual >= _limit,
            "==" => actual == _limit,
            "!=" => actual != _limit,
            _ => throw new InvalidOperationException($"Unknown operator {_op}."),
        };
        var shown = _unit == "ms" ? DurationText.FormatMs(actual) : $"{actual.ToString("0.###", CultureInfo.InvariantCulture)}{_unit}";
        return (passed, shown);
    }

    private static Func<StatsView, double>? LatencyReader(string metric)
    {
        var parts = metric.Split(' ');
        var (source, statistic) = parts.Length switch
        {
            1 => ("", parts[0]),
            2 => (parts[0], parts[1]),
            _ => ("", ""),
        };
        if (!LatencyStatistics.Contains(statistic))
        {
            return null;
        }

        Func<StatsView, LatencyStats>? stats = source switch
        {
            "" or "latency" => v => v.Ok.Latency,
            "ttft" => v => RequireLlm(v).TimeToFirstToken,
            "itl" => v => RequireLlm(v).InterTokenLatency,
            "tpot" => v => RequireLlm(v).TimePerOutputToken,
            _ => null,
        };
        if (stats is null)
        {
            return null;
        }

        return statistic switch
        {
            "p50" => v => stats(v).Percent50,
            "p75" => v => stats(v).Percent75,
            "p95" => v => stats(v).Percent95,
            "p99" => v => stats(v).Percent99,
            "p99.9" => v => stats(v).Percent999,
            "mean" => v => stats(v).MeanMs,
            "min" => v => stats(v).MinMs,
            "max" => v => stats(v).MaxMs,
            _ => v => stats(v).StdDev,
        };
    }

    private static LlmStats RequireLlm(StatsView view) =>
        view.Llm ?? throw new ThresholdDataException("no OK response carried token timings");

    private static GoodputStats RequireGoodput(StatsView view) =>
        view.Goodput ?? throw new ThresholdDataException("goodput needs an SLO (WithSlo or \"Slo\" in the config)");

    [GeneratedRegex(@"^\s*(?<metric>[a-zA-Z][a-zA-Z0-9 ./%_-]*?)\s*(?<op><=|>=|==|!=|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>us|µs|ms|s|m|%|/s)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
