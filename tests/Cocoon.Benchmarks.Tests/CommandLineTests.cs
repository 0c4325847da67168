using Cocoon.Benchmarks.Load;
using Cocoon.Benchmarks.Load.Commands;

namespace Cocoon.Benchmarks.Tests;

public class CommandLineTests
{
    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Program.RunAsync(args, ScenarioCatalog.CreateDefault(), output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task List_prints_one_scenario_a_line_name_first()
    {
        var (exitCode, output, _) = await Run("list");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["selftest-delay", "selftest-http", "selftest-llm"], lines.Select(l => l.Split(' ')[0]));
        Assert.All(lines, l => Assert.True(l.Length > 20, $"'{l}' has no description"));
    }

    [Fact]
    public async Task Load_runs_selftest_delay_end_to_end()
    {
        var folder = RunnerHelpers.NewTempFolder();

        var (exitCode, output, error) = await Run(
            "load", "--scenario", "selftest-delay", "--duration", "1s", "--rate", "20", "--set", "delayMs=1",
            "--report", folder, "--threshold", "fail percent < 1", "--threshold", "count >= 20");

        Assert.True(exitCode == 0, output + error);
        Assert.Matches(@"latency: p50 [0-9.]+ (µs|ms), p95 [0-9.]+ (µs|ms), p99 [0-9.]+ (µs|ms)", output);
        Assert.Contains("requests: 20 in", output);
        Assert.Contains("passed: selftest-delay: count >= 20", output);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        Assert.True(File.Exists(Path.Combine(folder, "report.md")));
    }

    [Fact]
    public async Task A_breached_threshold_fails_the_command()
    {
        var folder = RunnerHelpers.NewTempFolder();

        var (exitCode, output, _) = await Run(
            "load", "-s", "selftest-delay", "-d", "500ms", "--rate", "10", "--set", "delayMs=5", "-r", folder, "-f", "txt", "-t", "p50 < 1us");

        Assert.Equal(LoadExitCodes.ThresholdsBreached, exitCode);
        Assert.Contains("BREACHED", output);
        Assert.Equal(["report.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Load_applies_a_config_file()
    {
        var folder = RunnerHelpers.NewTempFolder();
        var config = Path.Combine(folder, "load.json");
        await File.WriteAllTextAsync(config, $$"""
            { "TargetScenarios": ["selftest-delay"],
              "GlobalSettings": { "ReportFolder": "{{folder.Replace("\\", "\\\\")}}", "ReportFormats": ["Csv"],
                "ScenariosSettings": [{ "ScenarioName": "selftest-delay",
                  "LoadSimulationsSettings": [{ "IterationsForConstant": [2, 6] }],
                  "Thresholds": ["ok count == 6"] }] } }
            """);

        var (exitCode, output, error) = await Run("load", "--config", config, "--set", "delayMs=1");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("IterationsForConstant(copies: 2, iterations: 6)", output);
        Assert.True(File.Exists(Path.Combine(folder, "report.csv")));
    }

    [Theory]
    [InlineData(new[] { "load", "--scenario", "no-such" }, "Unknown scenario 'no-such'")]
    [InlineData(new[] { "load" }, "Name a scenario")]
    [InlineData(new[] { "load", "-s", "selftest-delay", "--config", "/nonexistent.json" }, "Cannot read config file")]
    [InlineData(new[] { "load", "-s", "selftest-delay", "-t", "p99 is fine" }, "is not understood")]
    [InlineData(new[] { "load", "-s", "selftest-delay", "--set", "delayMs" }, "expected key=value")]
    [InlineData(new[] { "load", "-s", "selftest-delay", "--set", "delayMs=soon" }, "must be a whole number")]
    [InlineData(new[] { "load", "-s", "selftest-delay", "--rate", "5", "--copies", "2" }, "exclude each other")]
    public async Task Bad_input_is_exit_code_two_with_a_message(string[] args, string expected)
    {
        var (exitCode, _, error) = await Run(args);

        Assert.Equal(LoadExitCodes.InvalidInput, exitCode);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Bad_duration_is_a_parse_error()
    {
        var (exitCode, _, error) = await Run("load", "-s", "selftest-delay", "--duration", "forever");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("is not a duration", error);
    }

    [Fact]
    public async Task A_bad_config_file_is_reported_with_its_path()
    {
        var config = Path.Combine(RunnerHelpers.NewTempFolder(), "bad.json");
        await File.WriteAllTextAsync(config, "{ \"ScenariosSettings\": [ { \"ScenarioName\": \"selftest-delay\", \"WarmUp\": \"1s\" } ] }");

        var (exitCode, _, error) = await Run("load", "-s", "selftest-delay", "--config", config);

        Assert.Equal(LoadExitCodes.InvalidInput, exitCode);
        Assert.Contains($"{config}: $.ScenariosSettings[0].WarmUp: unknown setting", error);
    }

    [Theory]
    [InlineData(new string[0], new[] { "--filter", "*", "--job", "short" })]
    [InlineData(new[] { "Histogram" }, new[] { "--filter", "*Histogram*", "--job", "short" })]
    [InlineData(new[] { "Histogram", "--job", "short" }, new[] { "--filter", "*Histogram*", "--job", "short" })]
    [InlineData(new[] { "--list", "flat" }, new[] { "--list", "flat" })]
    public void Micro_turns_a_bare_filter_into_a_benchmarkdotnet_filter(string[] tokens, string[] expected)
    {
        Assert.Equal(expected, MicroCommand.BuildArguments(tokens));
    }
}
