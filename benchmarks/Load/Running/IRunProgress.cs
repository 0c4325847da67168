namespace Cocoon.Benchmarks.Load;

/// <summary>Shows a run while it goes, about once a second.</summary>
internal interface IRunProgress
{
    Task ShowAsync(Task run, Func<IReadOnlyList<ScenarioProgress>> snapshot);
}
