using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

public class ConfigTests
{
    private const string Full = """
        {
          // NBomber's layout, plus thresholds and an SLO.
          "TestName": "cocoon-nightly",
          "TargetScenarios": ["selftest-http"],
          "GlobalSettings": {
            "ReportFolder": "reports/nightly",
            "ReportFormats": ["Html", "md"],
            "ScenariosSettings": [{
              "ScenarioName": "selftest-http",
              "WarmUpDuration": "00:00:02",
              "LoadSimulationsSettings": [
                { "RampingInject": [100, "1s", "10s"] },
                { "Inject": [100, "00:00:01", "30s"] },
                { "KeepConstant": [10, "1m"] },
                { "RampingConstant": [0, "5s"] },
                { "Pause": "500ms" },
                { "IterationsForConstant": [2, 1000] },
                { "IterationsForInject": [50, "1s", 500] }
              ],
              "Thresholds": ["fail percent < 1", { "Step": "get", "Expression": "p95 < 20ms" }],
              "Slo": { "Latency": "2s", "TimeToFirstToken": "500ms" },
              "MaxConcurrency": 1000,
              "DrainTimeout": "10s",
              "CustomSettings": { "delayMs": 5 }
            }]
          }
        }
        """;

    [Fact]
    public void Parses_the_full_layout()
    {
        var config = LoadConfigParser.Parse(Full);

        Assert.Equal("cocoon-nightly", config.TestName);
        Assert.Equal(["selftest-http"], config.TargetScenarios);
        Assert.Equal("reports/nightly", config.ReportFolder);
        Assert.Equal([ReportFormat.Html, ReportFormat.Md], config.ReportFormats);
        var s = Assert.Single(config.ScenariosSettings);
        Assert.Equal(TimeSpan.FromSeconds(2), s.WarmUpDuration);
        Assert.Equal(
            [
                Simulation.RampingInject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
                Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
                Simulation.KeepConstant(10, TimeSpan.FromMinutes(1)),
                Simulation.RampingConstant(0, TimeSpan.FromSeconds(5)),
                Simulation.Pause(TimeSpan.FromMilliseconds(500)),
                Simulation.IterationsForConstant(2, 1000),
                Simulation.IterationsForInject(50, TimeSpan.FromSeconds(1), 500),
            ],
            s.LoadSimulations);
        Assert.Equal(["fail percent < 1", "p95 < 20ms"], s.Thresholds!.Select(t => t.Description));
        Assert.Equal("get", s.Thresholds![1].StepName);
        Assert.Equal(new Slo(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500)), s.Slo);
        Assert.Equal(1000, s.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(10), s.DrainTimeout);
        Assert.Equal(5, s.CustomSettings!.Value.GetProperty("delayMs").GetInt32());
    }

    [Fact]
    public void Settings_override_the_scenario_in_code()
    {
        var settings = LoadConfigParser.Parse(Full).ScenariosSettings[0];
        var scenario = Scenario.Create("selftest-http", _ => Task.FromResult<IResponse>(Response.Ok()))
            .WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromSeconds(1)));

        var applied = scenario.Apply(settings);

        Assert.Equal(7, applied.LoadSimulations.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), applied.WarmUpDuration);
        Assert.Equal(2, applied.Thresholds.Count);
        Assert.Equal(1000, applied.MaxConcurrency);
    }

    [Theory]
    [InlineData("{ \"TestName\": ", "not valid JSON at line 1")]
    [InlineData("[]", "$: expected an object")]
    [InlineData("{ \"Bogus\": 1 }", "$.Bogus: unknown setting")]
    [InlineData("{ \"ScenariosSettings\": [{ \"WarmUpDuration\": \"1s\" }] }", "ScenarioName is required")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"LoadSimulationsSettings\": [{ \"Injct\": [1, \"1s\", \"1s\"] }] }] }", "$.ScenariosSettings[0].LoadSimulationsSettings[0]: unknown simulation 'Injct'")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"LoadSimulationsSettings\": [{ \"Inject\": [1, \"1s\"] }] }] }", "expects [rate, interval, during], got 2")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"LoadSimulationsSettings\": [{ \"KeepConstant\": [2, \"soon\"] }] }] }", "KeepConstant[1]: expected a duration")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"LoadSimulationsSettings\": [{ \"Inject\": [-5, \"1s\", \"1s\"] }] }] }", "out of range")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"Thresholds\": [\"p99 is low\"] }] }", "Thresholds[0]: Threshold 'p99 is low' is not understood")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\", \"Slo\": {} }] }", "set at least one of")]
    [InlineData("{ \"ReportFormats\": [\"pdf\"] }", "unknown report format 'pdf'")]
    [InlineData("{ \"ScenariosSettings\": [{ \"ScenarioName\": \"a\" }, { \"ScenarioName\": \"a\" }] }", "scenario 'a' has settings twice")]
    public void Bad_config_gets_a_clear_error(string json, string expected)
    {
        var error = Assert.Throws<LoadConfigException>(() => LoadConfigParser.Parse(json, "bad.json"));

        Assert.StartsWith("bad.json: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_config_error()
    {
        var error = Assert.Throws<LoadConfigException>(() => LoadConfigParser.Load("/nonexistent/cocoon.json"));

        Assert.Contains("Cannot read config file", error.Message);
    }

    [Fact]
    public void Settings_for_an_unregistered_scenario_are_rejected_by_the_runner()
    {
        var builder = NBomberRunner.RegisterScenarios(Scenario.Create("mine", _ => Task.FromResult<IResponse>(Response.Ok())));

        var error = Assert.Throws<LoadConfigException>(() => builder.WithConfig(LoadConfigParser.Parse(Full)));

        Assert.Contains("'selftest-http', which is not registered", error.Message);
    }

    [Theory]
    [InlineData("250us", 0.25)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:02.5", 2500)]
    public void Durations_parse(string text, double ms)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(ms), DurationText.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("10")]
    [InlineData("5 parsecs")]
    [InlineData("-00:00:01")]
    public void Non_durations_are_rejected(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }
}
