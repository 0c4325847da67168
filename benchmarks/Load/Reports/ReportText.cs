using System.Globalization;

namespace Cocoon.Benchmarks.Load;

/// <summary>Number formatting shared by the reports (invariant culture, units attached).</summary>
internal static class ReportText
{
    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double ms) => DurationText.FormatMs(ms);

    public static string Bytes(double bytes) => bytes switch
    {
        < 1024 => $"{N(bytes, "0")} B",
        < 1024 * 1024 => $"{N(bytes / 1024, "0.0")} KB",
        < 1024L * 1024 * 1024 => $"{N(bytes / 1024 / 1024, "0.0")} MB",
        _ => $"{N(bytes / 1024 / 1024 / 1024, "0.00")} GB",
    };

    public static string Seconds(TimeSpan t) => $"{N(t.TotalSeconds, "0.0")} s";

    /// <summary>The line every summary leads with: the percentiles people quote, each with its unit.</summary>
    public static string Percentiles(LatencyStats l) => $"p50 {Ms(l.Percent50)}, p95 {Ms(l.Percent95)}, p99 {Ms(l.Percent99)}";

    public static string Outcome(RunResult result) => result.ExitCode switch
    {
        LoadExitCodes.Success => "passed",
        LoadExitCodes.ThresholdsBreached => "thresholds breached",
        LoadExitCodes.RunFailed => "run failed",
        LoadExitCodes.Cancelled => "cancelled",
        _ => "unknown",
    };
}
