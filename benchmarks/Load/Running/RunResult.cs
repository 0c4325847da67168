namespace Cocoon.Benchmarks.Load;

/// <summary>The outcome of a run (NBomber's <c>NodeStats</c>).</summary>
public sealed record RunResult(
    string TestName,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<ScenarioStats> ScenarioStats,
    IReadOnlyList<ThresholdResult> Thresholds,
    IReadOnlyList<string> Errors,
    bool Cancelled)
{
    public IReadOnlyList<string> ReportFiles { get; init; } = [];

    public bool AllThresholdsPassed => Thresholds.All(t => t.Passed);

    public int ExitCode =>
        Cancelled ? LoadExitCodes.Cancelled
        : Errors.Count > 0 ? LoadExitCodes.RunFailed
        : !AllThresholdsPassed ? LoadExitCodes.ThresholdsBreached
        : LoadExitCodes.Success;

    public ScenarioStats GetScenarioStats(string scenarioName) =>
        ScenarioStats.FirstOrDefault(s => s.ScenarioName == scenarioName)
        ?? throw new KeyNotFoundException($"No scenario '{scenarioName}' in this run.");
}
