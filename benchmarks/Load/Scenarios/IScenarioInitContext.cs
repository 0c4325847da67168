using System.Text.Json;

namespace Cocoon.Benchmarks.Load;

/// <summary>What the init and clean hooks see (NBomber's <c>IScenarioInitContext</c>).</summary>
public interface IScenarioInitContext
{
    ScenarioInfo ScenarioInfo { get; }

    /// <summary>The scenario's <c>CustomSettings</c> from the config file, if any.</summary>
    JsonElement? CustomSettings { get; }

    CancellationToken CancellationToken { get; }

    TextWriter Log { get; }

    /// <summary>Binds <see cref="CustomSettings"/> to <typeparamref name="T"/>; null when there are none.</summary>
    T? GetCustomSettings<T>();
}
