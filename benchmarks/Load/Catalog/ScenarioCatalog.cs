using Cocoon.Benchmarks.Load.SelfTest;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// The registry of runnable scenarios. Register Cocoon's own with
/// <c>catalog.Register("tiny-throughput", "…", options =&gt; Scenario.Create(…))</c> before the command line runs.
/// </summary>
public sealed class ScenarioCatalog : IScenarioCatalog
{
    private readonly List<ScenarioEntry> _entries = [];

    public IReadOnlyList<ScenarioEntry> Entries => _entries;

    /// <summary>A catalog with the built-in self-test scenarios, which need no cluster.</summary>
    public static ScenarioCatalog CreateDefault()
    {
        var catalog = new ScenarioCatalog();
        SelfTestScenarios.Register(catalog);
        return catalog;
    }

    /// <exception cref="ArgumentException">The name is empty, has spaces, or is taken.</exception>
    public ScenarioCatalog Register(string name, string description, Func<LoadOptions, ScenarioProps> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Scenario name '{name}' must not contain spaces.", nameof(name));
        }

        if (TryGet(name, out _))
        {
            throw new ArgumentException($"Scenario '{name}' is already registered.", nameof(name));
        }

        _entries.Add(new ScenarioEntry(name, description ?? "", factory));
        return this;
    }

    public bool TryGet(string name, out ScenarioEntry entry)
    {
        entry = _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))!;
        return entry is not null;
    }
}
