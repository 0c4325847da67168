namespace Cocoon.Benchmarks.Load;

/// <summary>
/// A pass/fail rule evaluated on a scenario's (or one step's) final statistics. From code, as in NBomber
/// (<c>Threshold.Create(stats => stats.Fail.Request.Percent &lt; 1)</c>), or from an expression such as
/// <c>"p99 &lt; 50ms"</c> (see <see cref="ThresholdExpression"/>). A breach makes the run's exit code non-zero.
/// </summary>
public sealed class Threshold
{
    private readonly Func<ScenarioStats, (bool Passed, string? Actual)> _check;

    private Threshold(string description, string? stepName, Func<ScenarioStats, (bool Passed, string? Actual)> check)
    {
        Description = description;
        StepName = stepName;
        _check = check;
    }

    public string Description { get; }

    /// <summary>The step the rule reads; null for the scenario as a whole.</summary>
    public string? StepName { get; }

    public static Threshold Create(Func<ScenarioStats, bool> predicate, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new Threshold(description ?? "custom scenario threshold", null, stats => (predicate(stats), null));
    }

    public static Threshold Create(string stepName, Func<StepStats, bool> predicate, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepName);
        ArgumentNullException.ThrowIfNull(predicate);
        return new Threshold(description ?? "custom step threshold", stepName, stats => (predicate(RequireStep(stats, stepName)), null));
    }

    /// <summary>Parses an expression such as <c>fail percent &lt; 1</c>, <c>p99 &lt; 50ms</c> or <c>rps &gt; 900</c>.</summary>
    /// <exception cref="ThresholdFormatException">The expression is not understood.</exception>
    public static Threshold Parse(string expression, string? stepName = null)
    {
        var parsed = ThresholdExpression.Parse(expression);
        return new Threshold(parsed.Text, stepName, stats =>
        {
            var view = stepName is null ? StatsView.Of(stats) : StatsView.Of(RequireStep(stats, stepName));
            return parsed.Evaluate(view);
        });
    }

    public ThresholdResult Evaluate(ScenarioStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        try
        {
            var (passed, actual) = _check(stats);
            return new ThresholdResult(stats.ScenarioName, StepName, Description, passed, actual, Error: null);
        }
        catch (Exception e)
        {
            // A rule that cannot be checked is a failed rule: a missing step must not pass silently.
            return new ThresholdResult(stats.ScenarioName, StepName, Description, Passed: false, Actual: null, Error: e.Message);
        }
    }

    public override string ToString() => StepName is null ? Description : $"step '{StepName}': {Description}";

    private static StepStats RequireStep(ScenarioStats stats, string stepName) =>
        stats.GetStepStats(stepName) ?? throw new ThresholdDataException($"step '{stepName}' never ran");
}
