using Cocoon.Grains.Chain;
using Cocoon.Grains.Payouts;
using Cocoon.Grains.Placement;
using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;

namespace Cocoon.Silo.Hosting;

/// <summary>The dev chain this silo started, with its hooks (the faucet), and the deposit wallet it watches.</summary>
public sealed class RunningDevChain(DevChainProcess process, DepositWallet wallet) : IAsyncDisposable
{
    public DevChainProcess Process => process;
    public DepositWallet Wallet => wallet;
    public DevChainHooks Hooks { get; } = new(process.BaseUrl);

    public async ValueTask DisposeAsync()
    {
        Hooks.Dispose();
        await process.DisposeAsync();
    }
}

/// <summary>
/// Decides where the deposit watcher reads the chain, before the host is built: toncenter when
/// <c>Cocoon:Chain:Toncenter:Endpoint</c> is set, else (dev profile, single machine) a dev chain child process in
/// <c>$COCOON_HOME/devchain</c>. Without Node.js the silo runs on, funding the dev account from the ledger faucet.
/// </summary>
public static class ChainHosting
{
    public static async Task<RunningDevChain?> ConfigureAsync(IConfiguration configuration, SiloSettings settings, string home, IServiceCollection services, ILogger logger)
    {
        var chain = configuration.GetSection("Cocoon:Chain").Get<ChainSettings>() ?? new ChainSettings();
        var devChain = configuration.GetSection("Cocoon:DevChain").Get<DevChainSettings>() ?? new DevChainSettings();
        if (!settings.ParsedRoles.HasFlag(SiloRole.Core)) return null;
        var mnemonic = chain.MnemonicFile ?? DepositWallet.DefaultPath(home);
        var poll = TimeSpan.FromSeconds(Math.Max(0.1, chain.PollSeconds));

        if (!string.IsNullOrWhiteSpace(chain.Toncenter.Endpoint))
        {
            var network = chain.Network == "testnet" ? WalletV5R1.TestnetGlobalId : WalletV5R1.MainnetGlobalId;
            var wallet = DepositWallet.LoadOrCreate(mnemonic, createIfMissing: settings.IsDev, network);
            var endpoint = chain.Toncenter.Endpoint.EndsWith('/') ? chain.Toncenter.Endpoint : chain.Toncenter.Endpoint + "/";
            var toncenter = new ToncenterOptions { BaseUrl = new Uri(endpoint), ApiKey = chain.Toncenter.ApiKey };
            services.AddCocoonChainWatcher(toncenter, wallet.Address, o => o.PollInterval = poll);
            AddTreasury(configuration, settings, home, services, logger, toncenter, wallet, chain.Network == "testnet");
            logger.LogInformation("Deposits: watching {Address} through {Endpoint} (send with the account id as comment to {DepositAddress})",
                wallet.Address, endpoint, wallet.DepositAddress);
            return null;
        }

        if (!settings.IsDev || !devChain.Enabled || settings.Clustering != "localhost")
        {
            if (!settings.IsDev) logger.LogWarning("Deposits are not watched: set Cocoon:Chain:Toncenter:Endpoint (see docs/ton.md)");
            return null;
        }

        DevChainProcess process;
        try
        {
            process = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = Path.Combine(home, "devchain"), Port = devChain.Port });
        }
        catch (DevChainException e)
        {
            logger.LogWarning("The dev chain did not start, so deposits are not watched and the dev account is funded from the ledger faucet instead: {Reason}", e.Message);
            return null;
        }

        var devWallet = DepositWallet.LoadOrCreate(mnemonic, createIfMissing: true);
        services.AddCocoonChainWatcher(process.ToncenterOptions(), devWallet.Address, o => o.PollInterval = poll);
        AddTreasury(configuration, settings, home, services, logger, process.ToncenterOptions(), devWallet, testnet: false);
        var running = new RunningDevChain(process, devWallet);
        services.AddSingleton(running);
        logger.LogInformation("Dev chain at {Url} (data in {Data}); deposit wallet {Address}", process.BaseUrl, Path.Combine(home, "devchain"), devWallet.DepositAddress);
        return running;
    }

    /// <summary>
    /// The treasury pays out through the same toncenter endpoint and sweeps the deposit wallet. The dev profile creates
    /// its key; production needs the mnemonic file, and without it the silo runs with payouts off.
    /// </summary>
    private static void AddTreasury(IConfiguration configuration, SiloSettings settings, string home, IServiceCollection services, ILogger logger,
        ToncenterOptions toncenter, DepositWallet deposit, bool testnet)
    {
        var section = configuration.GetSection("Cocoon:Treasury");
        var treasury = section.Get<TreasurySettings>() ?? new TreasurySettings();
        if (!treasury.Enabled) return;
        var path = treasury.MnemonicFile ?? TreasuryWallet.DefaultPath(home);
        if (!settings.IsDev && !File.Exists(path))
        {
            logger.LogWarning("Payouts are off: the treasury's mnemonic {Path} does not exist (see docs/ton.md)", path);
            return;
        }
        var wallet = TreasuryWallet.LoadOrCreate(path, createIfMissing: settings.IsDev, testnet, treasury.TimeoutSeconds);
        services.AddCocoonTreasury(toncenter, wallet, deposit, o =>
        {
            section.Bind(o);
            o.PollInterval = TimeSpan.FromSeconds(Math.Max(0.1, treasury.PollSeconds));
        });
        logger.LogInformation("Treasury {Address} pays out (top it up at {TopUp})", wallet.Address, wallet.TopUpAddress);
    }
}
