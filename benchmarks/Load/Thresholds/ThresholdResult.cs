namespace Cocoon.Benchmarks.Load;

/// <summary>How one threshold fared; <see cref="Actual"/> is the measured value where the rule names one.</summary>
public sealed record ThresholdResult(string ScenarioName, string? StepName, string Description, bool Passed, string? Actual, string? Error)
{
    public override string ToString()
    {
        var target = StepName is null ? ScenarioName : $"{ScenarioName}/{StepName}";
        var verdict = Passed ? "passed" : "BREACHED";
        var detail = Error is not null ? $" ({Error})" : Actual is not null ? $" (actual {Actual})" : "";
        return $"{verdict}: {target}: {Description}{detail}";
    }
}
