using System.Text.Json;

namespace Cocoon.Benchmarks.Load;

/// <summary>A run's settings from a JSON file (NBomber's config layout, with thresholds and an SLO added).</summary>
public sealed record LoadConfig(
    string? TestName,
    IReadOnlyList<string> TargetScenarios,
    string? ReportFolder,
    string? ReportFileName,
    IReadOnlyList<ReportFormat>? ReportFormats,
    IReadOnlyList<ScenarioSettings> ScenariosSettings)
{
    public ScenarioSettings? ForScenario(string scenarioName) =>
        ScenariosSettings.FirstOrDefault(s => s.ScenarioName == scenarioName);
}

/// <summary>Overrides for one scenario; null means "keep what the code says".</summary>
public sealed record ScenarioSettings(
    string ScenarioName,
    TimeSpan? WarmUpDuration,
    IReadOnlyList<LoadSimulation>? LoadSimulations,
    IReadOnlyList<Threshold>? Thresholds,
    Slo? Slo,
    int? MaxConcurrency,
    TimeSpan? DrainTimeout,
    JsonElement? CustomSettings);
