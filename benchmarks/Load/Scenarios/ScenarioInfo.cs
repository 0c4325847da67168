namespace Cocoon.Benchmarks.Load;

/// <summary>Identifies a running scenario.</summary>
public sealed record ScenarioInfo(string ScenarioName, string TestName);
