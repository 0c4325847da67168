namespace Cocoon.Benchmarks.Load;

/// <summary>Creates scenarios (NBomber's <c>Scenario.Create</c>).</summary>
public static class Scenario
{
    /// <summary>
    /// A scenario named <paramref name="name"/> whose iteration is <paramref name="run"/>. The iteration's latency
    /// is measured from when it was due to start, so queueing in the load generator or the target is counted.
    /// </summary>
    public static ScenarioProps Create(string name, Func<IScenarioContext, Task<IResponse>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        return new ScenarioProps(name, run);
    }
}
