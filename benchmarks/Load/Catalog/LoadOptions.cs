using System.Globalization;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// What the command line gives a scenario factory. Factories use <see cref="Duration"/>, <see cref="Target"/> and
/// <see cref="Settings"/> to build the scenario; the <c>load</c> command then applies the config file and, last,
/// an explicit <see cref="Rate"/> or <see cref="Copies"/> (see <see cref="ApplyLoadShape"/>).
/// </summary>
public sealed record LoadOptions
{
    public LoadTarget Target { get; init; } = LoadTarget.Client;

    /// <summary>The length the user asked for; null means the scenario's own default.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Open-model rate per second that replaces the scenario's load shape.</summary>
    public int? Rate { get; init; }

    /// <summary>Closed-model copies that replace the scenario's load shape.</summary>
    public int? Copies { get; init; }

    public TimeSpan? WarmUp { get; init; }

    /// <summary>Where the target listens (a silo gateway or an HTTP base address), when the scenario needs one.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Scenario-specific knobs from <c>--set key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The requested duration, or <paramref name="fallback"/>.</summary>
    public TimeSpan DurationOr(TimeSpan fallback) => Duration ?? fallback;

    /// <exception cref="LoadConfigException">The setting is present but not an integer.</exception>
    public int GetInt(string key, int fallback) =>
        !Settings.TryGetValue(key, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new LoadConfigException($"Setting '{key}={text}' must be a whole number.");

    /// <exception cref="LoadConfigException">The setting is present but not a duration.</exception>
    public TimeSpan GetDuration(string key, TimeSpan fallback) =>
        !Settings.TryGetValue(key, out var text) ? fallback
        : DurationText.TryParse(text, out var value) ? value
        : throw new LoadConfigException($"Setting '{key}={text}' must be a duration such as 500ms or 30s.");

    public string GetString(string key, string fallback) => Settings.TryGetValue(key, out var text) ? text : fallback;

    /// <summary>
    /// Replaces the load shape when <see cref="Rate"/> or <see cref="Copies"/> is set (for <see cref="Duration"/>, else as
    /// long as the scenario's own shape, else 30 s), and the warm-up when <see cref="WarmUp"/> is.
    /// </summary>
    public ScenarioProps ApplyLoadShape(ScenarioProps scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var during = Duration ?? LoadPlan.TotalDuration(LoadPlan.Build(scenario.LoadSimulations)) ?? TimeSpan.FromSeconds(30);
        if (Rate is { } rate)
        {
            scenario = scenario.WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), during));
        }
        else if (Copies is { } copies)
        {
            scenario = scenario.WithLoadSimulations(Simulation.KeepConstant(copies, during));
        }

        return WarmUp is { } warmUp ? scenario.WithWarmUpDuration(warmUp) : scenario;
    }
}
