namespace Cocoon.Benchmarks.Load;

/// <summary>The parts of scenario and step statistics that thresholds read.</summary>
internal sealed record StatsView(MeasurementStats Ok, MeasurementStats Fail, LlmStats? Llm, GoodputStats? Goodput)
{
    public static StatsView Of(ScenarioStats s) => new(s.Ok, s.Fail, s.Llm, s.Goodput);

    public static StatsView Of(StepStats s) => new(s.Ok, s.Fail, s.Llm, s.Goodput);
}
