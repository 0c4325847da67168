namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Configures and runs a load test. Registered scenarios run at the same time; each is initialised, warmed up,
/// measured and cleaned; thresholds are evaluated at the end and reports written to the report folder.
/// </summary>
public sealed class LoadTestBuilder
{
    private readonly List<ScenarioProps> _scenarios;
    private string _testName = "cocoon-load";
    private string? _reportFolder;
    private string _reportFileName = "report";
    private IReadOnlyList<ReportFormat> _reportFormats = Enum.GetValues<ReportFormat>();
    private bool _reports = true;
    private TextWriter? _output;
    private bool? _live;
    private LoadClock? _clock;

    internal LoadTestBuilder(IEnumerable<ScenarioProps> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        _scenarios = [.. scenarios];
        if (_scenarios.Count == 0)
        {
            throw new ArgumentException("Register at least one scenario.", nameof(scenarios));
        }

        var duplicate = _scenarios.GroupBy(s => s.ScenarioName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Scenario '{duplicate.Key}' is registered twice.", nameof(scenarios));
        }
    }

    public IReadOnlyList<ScenarioProps> Scenarios => _scenarios;

    public LoadTestBuilder WithTestName(string testName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testName);
        _testName = testName;
        return this;
    }

    /// <summary>Where reports go. Without it, a folder <c>reports/&lt;test name&gt;-&lt;UTC timestamp&gt;</c>.</summary>
    public LoadTestBuilder WithReportFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _reportFolder = folder;
        return this;
    }

    public LoadTestBuilder WithReportFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{fileName}' is not a valid file name.", nameof(fileName));
        }

        _reportFileName = fileName;
        return this;
    }

    public LoadTestBuilder WithReportFormats(params ReportFormat[] formats)
    {
        _reportFormats = [.. formats.Distinct()];
        _reports = _reportFormats.Count > 0;
        return this;
    }

    public LoadTestBuilder WithoutReports()
    {
        _reports = false;
        return this;
    }

    /// <summary>
    /// Where progress and the summary go; <paramref name="live"/> picks the refreshing table over plain lines.
    /// By default: the console, live unless output is redirected.
    /// </summary>
    public LoadTestBuilder WithConsole(TextWriter output, bool live = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _live = live;
        return this;
    }

    /// <summary>Applies a config file's test name, report settings and per-scenario settings (NBomber's <c>LoadConfig</c>).</summary>
    /// <exception cref="LoadConfigException">The file is bad or names a scenario that is not registered.</exception>
    public LoadTestBuilder LoadConfig(string path) => WithConfig(LoadConfigParser.Load(path));

    public LoadTestBuilder WithConfig(LoadConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var settings in config.ScenariosSettings)
        {
            var index = _scenarios.FindIndex(s => s.ScenarioName == settings.ScenarioName);
            if (index < 0)
            {
                throw new LoadConfigException(
                    $"The config has settings for scenario '{settings.ScenarioName}', which is not registered (registered: {string.Join(", ", _scenarios.Select(s => s.ScenarioName))}).");
            }

            _scenarios[index] = _scenarios[index].Apply(settings);
        }

        if (config.TestName is { } name) WithTestName(name);
        if (config.ReportFolder is { } folder) WithReportFolder(folder);
        if (config.ReportFileName is { } file) WithReportFileName(file);
        if (config.ReportFormats is { } formats) WithReportFormats([.. formats]);
        return this;
    }

    internal LoadTestBuilder WithClock(LoadClock clock)
    {
        _clock = clock;
        return this;
    }

    public RunResult Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Runs the test. Cancelling stops the load, keeps what was measured and still writes the reports.</summary>
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var output = _output ?? Console.Out;
        var live = _live ?? (_output is null && !Console.IsOutputRedirected);
        var clock = _clock ?? LoadClock.CreateSystem();
        var startedAt = DateTimeOffset.UtcNow;
        var started = clock.Elapsed;
        var errors = new List<string>();

        var executions = _scenarios.Select(s => new ScenarioExecution(s, _testName, clock, cancellationToken)).ToList();
        var initialised = new List<ScenarioExecution>();
        foreach (var execution in executions)
        {
            try
            {
                if (execution.Props.Init is { } init)
                {
                    await init(InitContext(execution, output, cancellationToken)).ConfigureAwait(false);
                }

                initialised.Add(execution);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{execution.Info.ScenarioName}: init failed: {e.GetType().Name}: {e.Message}");
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        var stats = new List<ScenarioStats>();
        if (errors.Count == 0 && !cancellationToken.IsCancellationRequested)
        {
            IRunProgress progress = live ? new LiveConsoleProgress() : new PlainProgress(output);
            var runs = initialised.Select(e => e.RunAsync(output)).ToArray();
            await progress.ShowAsync(Task.WhenAll(runs), () => [.. initialised.Select(e => e.Progress())]).ConfigureAwait(false);
            stats.AddRange(runs.Select(r => r.Result));
        }

        foreach (var execution in initialised)
        {
            try
            {
                if (execution.Props.Clean is { } clean)
                {
                    await clean(InitContext(execution, output, CancellationToken.None)).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                // The measurements stand; a failed clean-up is reported, not fatal.
                await output.WriteLineAsync($"{execution.Info.ScenarioName}: clean failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            }
        }

        var thresholds = stats
            .SelectMany(s => _scenarios.First(p => p.ScenarioName == s.ScenarioName).Thresholds.Select(t => t.Evaluate(s)))
            .ToArray();
        var result = new RunResult(_testName, startedAt, clock.Elapsed - started, stats, thresholds, errors, cancellationToken.IsCancellationRequested);

        if (_reports && stats.Count > 0)
        {
            var folder = _reportFolder ?? Path.Combine("reports", $"{_testName}-{startedAt:yyyyMMdd-HHmmss}");
            try
            {
                result = result with { ReportFiles = ReportWriter.Write(result, folder, _reportFileName, _reportFormats) };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result = result with { Errors = [.. result.Errors, $"writing reports to '{folder}' failed: {e.Message}"] };
            }
        }

        await output.WriteAsync(TextReport.Render(result)).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static ScenarioInitContext InitContext(ScenarioExecution execution, TextWriter log, CancellationToken token) =>
        new(execution.Info, execution.Props.CustomSettings, log, token);
}
