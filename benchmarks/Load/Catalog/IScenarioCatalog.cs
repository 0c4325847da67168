namespace Cocoon.Benchmarks.Load;

/// <summary>The scenarios the <c>list</c> and <c>load</c> commands know, by name.</summary>
public interface IScenarioCatalog
{
    IReadOnlyList<ScenarioEntry> Entries { get; }

    bool TryGet(string name, out ScenarioEntry entry);
}

/// <summary>A named scenario and the factory that builds it for a run.</summary>
public sealed record ScenarioEntry(string Name, string Description, Func<LoadOptions, ScenarioProps> Factory);
