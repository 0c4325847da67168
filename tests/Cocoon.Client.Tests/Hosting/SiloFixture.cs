using Cocoon.Cli;
using Cocoon.Cli.Hosting;

namespace Cocoon.Client.Tests.Hosting;

/// <summary>One real silo for the whole collection, and a connected client; waits until the dev account is funded and a node serves echo.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    /// <summary>The dev account: derived from the key the silo created in its data directory.</summary>
    public string DevAccount => Client.Connection.AccountId!;

    private CocoonClientSession? _session;

    public SiloProcess Silo { get; private set; } = null!;

    public ICocoonClient Client => _session!.Client;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync(TimeSpan.FromSeconds(120));
        _session = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = Silo.Home;
            o.Gateways = [Silo.Gateway];
        });
        await Eventually.True(async () => (await Client.GetBalanceAsync()) is { Exists: true, BalanceNano: > 0 },
            TimeSpan.FromSeconds(60), () => $"the dev account was not funded:{Environment.NewLine}{Silo.OutputTail}");
        await Eventually.True(async () => (await Client.ListNodesAsync("echo")).Count > 0,
            TimeSpan.FromSeconds(60), () => $"no node served echo:{Environment.NewLine}{Silo.OutputTail}");
    }

    /// <summary>Runs the CLI in-process against this silo (its data directory tells the CLI where the gateway is).</summary>
    public Task<CliRun> Cli(params string[] args) => CliRun.Invoke(["--home", Silo.Home, .. args]);

    public async Task DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
        if (Silo is not null) await Silo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}

/// <summary>What one in-process CLI invocation printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<CliRun> Invoke(string[] args, string stdin = "")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CocoonCli.InvokeAsync(args, new CliIO(output, error, new StringReader(stdin)));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Out}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}
