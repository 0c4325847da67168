namespace Cocoon.Benchmarks.Load;

/// <summary>Statistics of one scenario (NBomber's <c>ScenarioStats</c>); its latency is an iteration's, from when it was due.</summary>
public sealed record ScenarioStats(
    string ScenarioName,
    TimeSpan Duration,
    MeasurementStats Ok,
    MeasurementStats Fail,
    LlmStats? Llm,
    GoodputStats? Goodput,
    IReadOnlyList<StepStats> StepStats,
    IReadOnlyList<TimeSeriesPoint> TimeSeries,
    IReadOnlyList<string> LoadSimulations)
{
    public long AllRequestCount => Ok.Request.Count + Fail.Request.Count;

    public long AllOkCount => Ok.Request.Count;

    public long AllFailCount => Fail.Request.Count;

    public long AllBytes => Ok.DataTransfer.AllBytes + Fail.DataTransfer.AllBytes;

    public StepStats? GetStepStats(string stepName) => StepStats.FirstOrDefault(s => s.StepName == stepName);
}
