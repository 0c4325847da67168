namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Entry point of a load test, named as NBomber's so that scenarios port line for line:
/// <c>NBomberRunner.RegisterScenarios(a, b).WithReportFolder("reports").WithReportFormats(ReportFormat.Html).Run()</c>.
/// </summary>
public static class NBomberRunner
{
    public static LoadTestBuilder RegisterScenarios(params ScenarioProps[] scenarios) => new(scenarios);
}
