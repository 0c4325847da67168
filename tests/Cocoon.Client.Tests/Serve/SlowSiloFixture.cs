using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Serve;

/// <summary>A silo whose echo model streams slowly (20 tokens/s, 200 per job), so a job is still running when a caller leaves.</summary>
public sealed class SlowSiloFixture : IAsyncLifetime
{
    private CocoonClientSession? _session;

    public SiloProcess Silo { get; private set; } = null!;

    public ICocoonClient Client => _session!.Client;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync(TimeSpan.FromSeconds(120), "--Cocoon:Echo:TokensPerSecond=20", "--Cocoon:Echo:TokensPerJob=200");
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

    public async Task DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
        if (Silo is not null) await Silo.DisposeAsync();
    }
}
