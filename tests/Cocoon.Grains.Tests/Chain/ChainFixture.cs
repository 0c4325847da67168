using Cocoon.Grains.Chain;
using Cocoon.Grains.Hosting;
using Cocoon.Grains.Placement;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cocoon.Grains.Tests.Chain;

/// <summary>
/// A dev chain on a free port and a one-silo core cluster whose chain watcher reads it with small pages (2), so a
/// handful of deposits spans several pages. Tests call Scan themselves; no hosted service polls behind their back.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    public const int PageSize = 2;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "cocoon-chain-tests-" + Guid.NewGuid().ToString("N"));
    private DevChainProcess? chain;
    private InProcessTestCluster? cluster;

    public DevChainProcess Chain => chain ?? throw new InvalidOperationException("the dev chain is not started");
    public DevChainHooks Hooks { get; private set; } = null!;
    public ToncenterClient Toncenter { get; private set; } = null!;
    public IClusterClient Client => cluster!.Client;

    /// <summary>A grain factory inside the silo: ledger reads are internal (operators and silos only).</summary>
    public IGrainFactory Internal => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IGrainFactory>(cluster!.Silos[0].ServiceProvider);

    /// <summary>Every ledger account any test touched: the whole ledger must sum to zero over them.</summary>
    public HashSet<string> Touched { get; } = [Accounts.Chain, Accounts.NetworkFee, Accounts.Suspense];

    public async Task InitializeAsync()
    {
        chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = dataDirectory, Port = DevChainProcess.FindFreeLoopbackPort() });
        Hooks = new DevChainHooks(chain.BaseUrl);
        Toncenter = new ToncenterClient(chain.ToncenterOptions());
        var toncenter = chain.ToncenterOptions();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = "chain-" + Guid.NewGuid().ToString("N")[..8];
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(CocoonStorage.Name);
            silo.AddCocoon(new CocoonSiloOptions { Roles = SiloRole.Core });
            silo.Services.AddSingleton(_ => new ToncenterClient(toncenter));
            silo.Services.Configure<ChainWatcherOptions>(o => o.PageSize = PageSize);
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    /// <summary>A new deposit wallet no test used before (the dev chain has never seen its address).</summary>
    public static string NewDepositWallet()
    {
        var wallet = new WalletV5R1(KeyPair.Generate().PublicKey.Span);
        return wallet.Address.ToFriendly(bounceable: true);
    }

    public static string NewAccount() => "acct-" + Guid.NewGuid().ToString("N")[..12];

    public IChainWatcherGrain Watcher(string address) => Internal.GetGrain<IChainWatcherGrain>(address);

    public async Task<long> Balance(string account) => (await Internal.GetGrain<IWalletGrain>(account).GetBalance()).BalanceNano;

    public async Task<IReadOnlyList<LedgerEntry>> Entries(string account) => await Internal.GetGrain<IWalletGrain>(account).GetEntries(1000);

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            try { await cluster.StopAllSilosAsync(); } catch (Exception) { }
            await cluster.DisposeAsync();
        }
        Toncenter?.Dispose();
        Hooks?.Dispose();
        if (chain is not null) await chain.DisposeAsync();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
