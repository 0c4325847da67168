using System.Text.Json;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// A scenario and its settings, immutable: every <c>With…</c> returns a changed copy (NBomber's <c>ScenarioProps</c>).
/// </summary>
public sealed record ScenarioProps
{
    /// <summary>NBomber's default load when none is given: one copy in a loop for a minute.</summary>
    public static readonly IReadOnlyList<LoadSimulation> DefaultLoadSimulations =
        [Simulation.KeepConstant(copies: 1, during: TimeSpan.FromMinutes(1))];

    internal ScenarioProps(string scenarioName, Func<IScenarioContext, Task<IResponse>> run)
    {
        ScenarioName = scenarioName;
        Run = run;
    }

    public string ScenarioName { get; init; }

    public Func<IScenarioContext, Task<IResponse>> Run { get; init; }

    public Func<IScenarioInitContext, Task>? Init { get; init; }

    public Func<IScenarioInitContext, Task>? Clean { get; init; }

    /// <summary>Load applied before measuring; its results are discarded. Zero: no warm-up.</summary>
    public TimeSpan WarmUpDuration { get; init; }

    public IReadOnlyList<LoadSimulation> LoadSimulations { get; init; } = DefaultLoadSimulations;

    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    public Slo? Slo { get; init; }

    /// <summary>The most iterations in flight under the open model; a due iteration waits for a slot, and that wait counts as latency.</summary>
    public int MaxConcurrency { get; init; } = 10_000;

    /// <summary>How long iterations still running after the last simulation may take before they are cancelled and counted as failed.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public JsonElement? CustomSettings { get; init; }

    public ScenarioProps WithInit(Func<IScenarioInitContext, Task> init) => this with { Init = init };

    public ScenarioProps WithClean(Func<IScenarioInitContext, Task> clean) => this with { Clean = clean };

    public ScenarioProps WithWarmUpDuration(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return this with { WarmUpDuration = duration };
    }

    public ScenarioProps WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };

    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations)
    {
        ArgumentNullException.ThrowIfNull(simulations);
        if (simulations.Length == 0)
        {
            throw new ArgumentException("A scenario needs at least one load simulation.", nameof(simulations));
        }

        return this with { LoadSimulations = [.. simulations] };
    }

    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = [.. Thresholds, .. thresholds] };

    public ScenarioProps WithSlo(Slo slo) => this with { Slo = slo };

    public ScenarioProps WithMaxConcurrency(int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrency);
        return this with { MaxConcurrency = maxConcurrency };
    }

    public ScenarioProps WithDrainTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return this with { DrainTimeout = timeout };
    }

    public ScenarioProps WithCustomSettings(JsonElement settings) => this with { CustomSettings = settings.Clone() };

    /// <summary>Applies a config file's settings for this scenario; what the file leaves out stays as it was.</summary>
    public ScenarioProps Apply(ScenarioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = this;
        if (settings.WarmUpDuration is { } warmUp) result = result.WithWarmUpDuration(warmUp);
        if (settings.LoadSimulations is { Count: > 0 } simulations) result = result.WithLoadSimulations([.. simulations]);
        if (settings.Thresholds is { Count: > 0 } thresholds) result = result.WithThresholds([.. thresholds]);
        if (settings.Slo is { } slo) result = result.WithSlo(slo);
        if (settings.MaxConcurrency is { } max) result = result.WithMaxConcurrency(max);
        if (settings.DrainTimeout is { } drain) result = result.WithDrainTimeout(drain);
        if (settings.CustomSettings is { } custom) result = result.WithCustomSettings(custom);
        return result;
    }
}
