namespace Cocoon.Benchmarks.Load;

/// <summary>Statistics of one step; its latency is the step's own time.</summary>
public sealed record StepStats(string StepName, MeasurementStats Ok, MeasurementStats Fail, LlmStats? Llm, GoodputStats? Goodput)
{
    public long AllRequestCount => Ok.Request.Count + Fail.Request.Count;
}
