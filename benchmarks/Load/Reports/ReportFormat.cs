namespace Cocoon.Benchmarks.Load;

/// <summary>Report files a run can write (NBomber's <c>ReportFormat</c>).</summary>
public enum ReportFormat
{
    Txt,
    Md,
    Csv,
    Html,
}
