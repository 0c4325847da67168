using System.Collections.Concurrent;

namespace Cocoon.Benchmarks.Load;

/// <summary>The statistics of one scenario and its steps, measured from <paramref name="origin"/> on the load clock.</summary>
internal sealed class ScenarioCollector(string scenarioName, TimeSpan origin, Slo? slo)
{
    private readonly ConcurrentDictionary<string, StatsCollector> _steps = new(StringComparer.Ordinal);
    private readonly List<string> _stepOrder = [];
    private readonly Lock _orderGate = new();

    public TimeSpan Origin => origin;

    public StatsCollector Scenario { get; } = new(scenarioName, slo);

    public void RecordIteration(IResponse response, TimeSpan latency, TimeSpan completedAtClock, TokenUsage? tokens) =>
        Scenario.Record(response, latency, completedAtClock - origin, tokens);

    public void RecordStep(string step, IResponse response, TimeSpan latency, TimeSpan completedAtClock, TokenUsage? tokens)
    {
        var collector = _steps.GetOrAdd(step, name =>
        {
            lock (_orderGate)
            {
                _stepOrder.Add(name);
            }

            return new StatsCollector(name, slo);
        });
        collector.Record(response, latency, completedAtClock - origin, tokens);
    }

    public ScenarioStats ToStats(TimeSpan duration, IReadOnlyList<LoadSimulation> simulations)
    {
        string[] order;
        lock (_orderGate)
        {
            order = [.. _stepOrder.Distinct()];
        }

        var steps = order.Select(name =>
        {
            var s = _steps[name].ToStats(duration);
            return new StepStats(name, s.Ok, s.Fail, s.Llm, s.Goodput);
        }).ToArray();
        var scenario = Scenario.ToStats(duration);
        return new ScenarioStats(
            Scenario.Name,
            duration,
            scenario.Ok,
            scenario.Fail,
            scenario.Llm,
            scenario.Goodput,
            steps,
            scenario.TimeSeries,
            [.. simulations.Select(s => s.ToString())]);
    }
}
