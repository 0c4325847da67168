using System.CommandLine;
using System.CommandLine.Parsing;

namespace Cocoon.Benchmarks.Load.Commands;

/// <summary>
/// <c>load --scenario NAME [...]</c>: builds the named scenarios from the catalog, applies the config file, then
/// the command line (later wins), runs them together and writes the reports. The exit code is the run's.
/// </summary>
internal static class LoadCommand
{
    public static Command Create(IScenarioCatalog catalog, TextWriter output, TextWriter error)
    {
        var scenario = new Option<string[]>("--scenario", "-s") { Description = "Scenario to run (repeat for several at once; see 'list').", Arity = ArgumentArity.OneOrMore };
        var config = new Option<string?>("--config", "-c") { Description = "JSON config: scenario settings, load simulations, thresholds, SLO, reports." };
        var target = new Option<string>("--target") { Description = "How Cocoon scenarios reach the cluster.", DefaultValueFactory = _ => "client" };
        target.AcceptOnlyFromAmong("client", "http");
        var report = new Option<string?>("--report", "-r") { Description = "Report folder (default reports/<scenario>-<timestamp>)." };
        var duration = DurationOption("--duration", "-d", "Length of the scenario's load (e.g. 30s, 5m).");
        var rate = new Option<int?>("--rate") { Description = "Replace the load with an open model: this many iterations per second." };
        var copies = new Option<int?>("--copies") { Description = "Replace the load with a closed model: this many looping copies." };
        var warmUp = DurationOption("--warmup", null, "Warm-up before measuring (results discarded).");
        var endpoint = new Option<string?>("--endpoint", "--gateway") { Description = "Address of the target (a silo gateway HOST:PORT or an HTTP base URL); Cocoon scenarios start their own silo without it." };
        var set = new Option<string[]>("--set") { Description = "Scenario setting key=value (repeatable), e.g. --set delayMs=20.", Arity = ArgumentArity.OneOrMore };
        var threshold = new Option<string[]>("--threshold", "-t") { Description = "Threshold such as 'p99 < 50ms', 'fail percent < 1', 'rps > 900' (repeatable).", Arity = ArgumentArity.OneOrMore };
        var sloLatency = DurationOption("--slo-latency", null, "Goodput SLO: request latency bound.");
        var sloTtft = DurationOption("--slo-ttft", null, "Goodput SLO: time-to-first-token bound.");
        var sloTpot = DurationOption("--slo-tpot", null, "Goodput SLO: time-per-output-token bound.");
        var format = new Option<string[]>("--format", "-f") { Description = "Report formats (default all): txt, md, csv, html.", Arity = ArgumentArity.OneOrMore };
        format.AcceptOnlyFromAmong("txt", "md", "csv", "html");
        var plain = new Option<bool>("--plain") { Description = "Print progress as plain lines even on a terminal." };
        var testName = new Option<string?>("--test-name") { Description = "Name of the test in the reports." };

        var command = new Command("load", "Run load scenarios and write txt, md, csv and html reports.");
        foreach (var option in new Option[] { scenario, config, target, report, duration, rate, copies, warmUp, endpoint, set, threshold, sloLatency, sloTtft, sloTpot, format, plain, testName })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var loadConfig = parseResult.GetValue(config) is { } path ? LoadConfigParser.Load(path) : null;
                var names = parseResult.GetValue(scenario) is { Length: > 0 } chosen ? chosen : loadConfig?.TargetScenarios.ToArray() ?? [];
                if (names.Length == 0)
                {
                    throw new LoadConfigException("Name a scenario with --scenario (or TargetScenarios in the config); 'list' shows them.");
                }

                var options = new LoadOptions
                {
                    Target = parseResult.GetValue(target) == "http" ? LoadTarget.Http : LoadTarget.Client,
                    Duration = parseResult.GetValue(duration),
                    Rate = Positive(parseResult.GetValue(rate), "--rate"),
                    Copies = Positive(parseResult.GetValue(copies), "--copies"),
                    WarmUp = parseResult.GetValue(warmUp),
                    Endpoint = parseResult.GetValue(endpoint),
                    Settings = ParseSettings(parseResult.GetValue(set) ?? []),
                };
                if (options.Rate is not null && options.Copies is not null)
                {
                    throw new LoadConfigException("--rate (open model) and --copies (closed model) exclude each other.");
                }

                foreach (var settings in loadConfig?.ScenariosSettings ?? [])
                {
                    if (!catalog.TryGet(settings.ScenarioName, out _))
                    {
                        throw new LoadConfigException($"The config has settings for unknown scenario '{settings.ScenarioName}'; 'list' shows the scenarios.");
                    }
                }

                var cliThresholds = (parseResult.GetValue(threshold) ?? []).Select(t => Threshold.Parse(t)).ToArray();
                var cliSlo = new Slo(parseResult.GetValue(sloLatency), parseResult.GetValue(sloTtft), parseResult.GetValue(sloTpot));
                var scenarios = new List<ScenarioProps>();
                foreach (var name in names.Distinct())
                {
                    if (!catalog.TryGet(name, out var entry))
                    {
                        throw new LoadConfigException($"Unknown scenario '{name}'; known: {string.Join(", ", catalog.Entries.Select(e => e.Name))}.");
                    }

                    var props = entry.Factory(options);
                    if (loadConfig?.ForScenario(name) is { } settings)
                    {
                        props = props.Apply(settings);
                    }

                    props = options.ApplyLoadShape(props);
                    if (cliThresholds.Length > 0) props = props.WithThresholds(cliThresholds);
                    if (cliSlo != new Slo()) props = props.WithSlo(cliSlo);
                    scenarios.Add(props);
                }

                var joined = string.Join("+", names.Distinct());
                var startedAt = DateTimeOffset.UtcNow;
                var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !parseResult.GetValue(plain);
                var runner = NBomberRunner.RegisterScenarios([.. scenarios])
                    .WithTestName(parseResult.GetValue(testName) ?? loadConfig?.TestName ?? joined)
                    .WithReportFolder(parseResult.GetValue(report) ?? loadConfig?.ReportFolder ?? Path.Combine("reports", $"{joined}-{startedAt:yyyyMMdd-HHmmss}"))
                    .WithConsole(output, live);
                if (loadConfig?.ReportFileName is { } fileName) runner.WithReportFileName(fileName);
                if (parseResult.GetValue(format) is { Length: > 0 } formats)
                {
                    runner.WithReportFormats([.. formats.Select(f => Enum.Parse<ReportFormat>(f, ignoreCase: true))]);
                }
                else if (loadConfig?.ReportFormats is { } configFormats)
                {
                    runner.WithReportFormats([.. configFormats]);
                }

                var result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                return result.ExitCode;
            }
            catch (Exception e) when (e is LoadConfigException or ThresholdFormatException or ArgumentException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return LoadExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static Option<TimeSpan?> DurationOption(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<TimeSpan?>(name) : new Option<TimeSpan?>(name, alias);
        option.Description = description;
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (DurationText.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration; write e.g. 500ms, 30s, 2m or 00:00:30.");
            return null;
        };
        return option;
    }

    private static int? Positive(int? value, string name) =>
        value is <= 0 ? throw new LoadConfigException($"{name} must be positive, got {value}.") : value;

    private static Dictionary<string, string> ParseSettings(string[] pairs)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new LoadConfigException($"--set '{pair}': expected key=value.");
            }

            settings[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return settings;
    }
}
