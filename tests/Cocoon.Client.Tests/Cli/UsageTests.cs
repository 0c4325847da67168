using Cocoon.Cli.Hosting;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Cli;

/// <summary>What needs no silo: usage errors, help, and a gateway where nothing listens.</summary>
public sealed class UsageTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cocoon-cli-usage-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task An_unreachable_gateway_exits_5_and_says_how_to_start_a_silo()
    {
        var port = FreePorts.Next();

        var run = await CliRun.Invoke(["--home", _home, "--gateway", $"127.0.0.1:{port}", "run", "--prompt", "hi", "--json"]);

        Assert.Equal(ExitCodes.ClusterUnreachable, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains($"no silo is listening on 127.0.0.1:{port}", run.Error);
        Assert.Contains("dotnet run --project silo", run.Error);
    }

    [Theory]
    [InlineData("balance")]
    [InlineData("nodes")]
    public async Task Every_command_reports_an_unreachable_gateway_the_same_way(string command)
    {
        var run = await CliRun.Invoke(["--home", _home, "--gateway", $"127.0.0.1:{FreePorts.Next()}", command, "--json"]);

        Assert.Equal(ExitCodes.ClusterUnreachable, run.ExitCode);
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    public async Task A_malformed_gateway_is_a_usage_error(string gateway)
    {
        var run = await CliRun.Invoke(["--home", _home, "--gateway", gateway, "nodes"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("HOST:PORT", run.Error);
    }

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var run = await CliRun.Invoke([]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--help", run.Error);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var run = await CliRun.Invoke(["run", "--prompt", "hi", "--frobnicate"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--frobnicate", run.Error);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        var run = await CliRun.Invoke(["--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "run", "nodes", "models", "balance", "jobs" })
            Assert.Contains(command, run.Out);
    }

    [Fact]
    public async Task Usage_errors_point_at_the_help_of_the_command_that_was_misused()
    {
        var run = await CliRun.Invoke(["jobs", "show"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("`cocoon jobs show --help`", run.Error);
    }
}
