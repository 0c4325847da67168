using Cocoon.Benchmarks.Load;
using Cocoon.Benchmarks.Scenarios;

namespace Cocoon.Benchmarks.Tests.Cocoon;

public class CocoonScenariosTests
{
    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var catalog = CocoonScenarios.Register(ScenarioCatalog.CreateDefault());
        var exitCode = await Program.RunAsync(args, catalog, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task List_shows_the_five_cocoon_scenarios()
    {
        var (exitCode, output, _) = await Run("list");

        Assert.Equal(0, exitCode);
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(["routing-overhead", "tiny-throughput", "ramp", "spike", "soak-failover"], names.Where(n => !n.StartsWith("selftest-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Routing_overhead_with_the_http_target_posts_through_the_endpoint_against_a_real_silo_process()
    {
        var folder = RunnerHelpers.NewTempFolder();

        var (exitCode, output, error) = await Run(
            "load", "-s", "routing-overhead", "--target", "http", "-d", "2s", "--warmup", "0s", "--rate", "10", "--set", "storage=memory",
            "--set", "settle=0", "--set", "baselineEvery=1",
            "-r", folder, "-f", "txt", "-t", "fail count == 0");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("target http: POST http://127.0.0.1:", output);
        Assert.Contains("step 'cocoon-http': ok 20, fail 0", output);
        Assert.Contains("step 'baseline': ok 20, fail 0", output);
        Assert.DoesNotContain("step 'cocoon':", output);
        Assert.Contains("routing overhead (cocoon-http step minus baseline step", output);
        Assert.Matches(@"p50: cocoon-http [0-9.]+ ms, baseline [0-9.]+ ms, overhead -?[0-9.]+ ms", output);
    }

    [Fact]
    public async Task Routing_overhead_runs_against_a_real_silo_process_and_writes_reports()
    {
        var folder = RunnerHelpers.NewTempFolder();

        var (exitCode, output, error) = await Run(
            "load", "-s", "routing-overhead", "-d", "2s", "--warmup", "0s", "--rate", "10", "--set", "storage=memory",
            "--set", "settle=1", "--set", "settleRate=10", "--set", "baselineEvery=4",
            "-r", folder, "-f", "txt", "-f", "csv", "-t", "fail count == 0");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("settled: 10 jobs in 1 s at 10 jobs/s before the warm-up (not measured)", output);
        Assert.Contains("step 'cocoon': ok 20, fail 0", output);
        Assert.Contains("step 'baseline': ok 5, fail 0", output); // one job in 4
        Assert.Contains("(one job in 4 also ran a baseline call)", output);
        Assert.Matches(@"p50: cocoon [0-9.]+ ms, baseline [0-9.]+ ms, overhead -?[0-9.]+ ms", output);
        Assert.Matches(@"cpu over \d+ jobs: silo \d+ us/job", output);
        Assert.True(File.Exists(Path.Combine(folder, "report.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "report.csv")));
    }
}
