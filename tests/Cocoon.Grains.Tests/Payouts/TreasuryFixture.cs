using Cocoon.Security;
using Cocoon.Grains.Chain;
using Cocoon.Grains.Hosting;
using Cocoon.Grains.Payouts;
using Cocoon.Grains.Placement;
using Cocoon.Payouts;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>
/// A dev chain, a funded treasury, a deposit wallet and a one-silo core cluster. Tests drive the treasury with RunOnce
/// and the deposit watcher with Scan; nothing polls behind their back. Every class gets its own chain and keys.
/// </summary>
public class TreasuryFixture : IAsyncLifetime
{
    public const long Ton = 1_000_000_000;
    public const long TreasuryFunding = 1_000 * Ton;
    public const long SweepThreshold = 20 * Ton;

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "cocoon-treasury-tests-" + Guid.NewGuid().ToString("N"));
    private DevChainProcess? chain;
    private InProcessTestCluster? cluster;

    public DevChainProcess Chain => chain ?? throw new InvalidOperationException("the dev chain is not started");
    public DevChainHooks Hooks { get; private set; } = null!;
    public ToncenterClient Toncenter { get; private set; } = null!;
    public IClusterClient Client => cluster!.Client;
    public TreasuryWallet Treasury { get; } = new(KeyPair.Generate());
    public DepositWallet Deposit { get; private set; } = null!;
    public IGrainFactory Internal => cluster!.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        Deposit = DepositWallet.LoadOrCreate(Path.Combine(dataDirectory, "secrets", "deposit.mnemonic"), createIfMissing: true);
        chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = Path.Combine(dataDirectory, "chain"), Port = DevChainProcess.FindFreeLoopbackPort() });
        Hooks = new DevChainHooks(chain.BaseUrl);
        Toncenter = new ToncenterClient(chain.ToncenterOptions());
        var toncenter = chain.ToncenterOptions();
        var treasury = Treasury;
        var deposit = Deposit;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = "treasury-" + Guid.NewGuid().ToString("N")[..8];
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(CocoonStorage.Name);
            silo.AddCocoon(new CocoonSiloOptions { Roles = SiloRole.Core });
            silo.Services.AddCocoonTreasury(toncenter, treasury, deposit, o =>
            {
                o.SweepThresholdNano = SweepThreshold;
                o.ResendInterval = TimeSpan.Zero;
                o.PageSize = 20;
                Configure(o);
            }, runService: false);
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
        // The operator's capital: an ordinary transfer to the (still undeployed) treasury.
        await Hooks.FundAsync(Treasury.TopUpAddress, TreasuryFunding);
    }

    /// <summary>Options a derived fixture changes (owner payout addresses).</summary>
    protected virtual void Configure(TreasuryOptions options)
    {
    }

    public ITreasuryGrain TreasuryGrain => Internal.GetGrain<ITreasuryGrain>(Treasury.Address);
    public IChainWatcherGrain Watcher => Internal.GetGrain<IChainWatcherGrain>(Deposit.Address);
    public Grains.Reconciliation.IReconciliationGrain Reconciliation => Internal.GetGrain<Grains.Reconciliation.IReconciliationGrain>("network");
    /// <summary>The account's withdrawals as its owner makes them: each call signed by the account's key (none for keyless accounts).</summary>
    public SignedWithdrawals Withdrawals(string account) => new(Client.GetGrain<IWithdrawalGrain>(account), account);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccountKey> Keys = new();

    /// <summary>A fresh account that is a key, so that it can sign its withdrawals.</summary>
    public static string NewAccount()
    {
        var key = AccountKey.Create();
        Keys[key.AccountId] = key;
        return key.AccountId;
    }

    public static AccountKey KeyOf(string account) => Keys[account];

    public sealed class SignedWithdrawals(IWithdrawalGrain grain, string account)
    {
        private AccountKey? Key => Keys.GetValueOrDefault(account);

        public Task<PayoutView> Withdraw(WithdrawalRequest request) => grain.Withdraw(Key is { } key
            ? request with { Signature = RequestSigning.Sign(key, RequestOperations.WalletWithdraw, RequestContent.Withdrawal(request.RequestId, request.AmountNano, request.Destination), DateTimeOffset.UtcNow) }
            : request);

        public Task<PayoutView?> GetWithdrawal(string requestId) => grain.GetWithdrawal(
            Key is { } key ? RequestSigning.SignedRequest(key, RequestOperations.WalletWithdrawal, RequestContent.WithdrawalStatus(requestId), DateTimeOffset.UtcNow) : null!,
            requestId);
    }

    /// <summary>A fresh address nobody used: non-bounceable form, so the payout stays there although it has no code.</summary>
    public static string NewDestination(bool bounceable = false) =>
        new WalletV4R2(KeyPair.Generate().PublicKey.Span).Address.ToFriendly(bounceable: bounceable);

    /// <summary>Credits the account from the ledger faucet (earnings stand-in that touches no chain wallet).</summary>
    public async Task Fund(string account, long nano)
    {
        var id = "fund-" + Guid.NewGuid().ToString("N");
        await Internal.GetGrain<IWalletGrain>(Accounts.Faucet).Debit(id, LedgerEntryKind.Transfer, nano, account, "test");
        await Internal.GetGrain<IWalletGrain>(account).Credit(id, LedgerEntryKind.Deposit, nano, Accounts.Faucet, "test");
    }

    public async Task<long> Balance(string account) => (await Internal.GetGrain<IWalletGrain>(account).GetBalance()).BalanceNano;

    public async Task<long> ChainBalance(string address)
    {
        try
        {
            return (await Toncenter.GetAddressInformationAsync(address)).Balance;
        }
        catch (ToncenterException)
        {
            return 0;
        }
    }

    /// <summary>Runs treasury cycles until <paramref name="done"/> holds (each cycle sends, the dev chain includes at once, the next confirms).</summary>
    public async Task<List<TreasuryCycleReport>> RunUntil(Func<Task<bool>> done, int maxCycles = 10)
    {
        var reports = new List<TreasuryCycleReport>();
        for (var i = 0; i < maxCycles; i++)
        {
            reports.Add(await TreasuryGrain.RunOnce());
            if (await done()) return reports;
        }
        throw new TimeoutException($"not done after {maxCycles} treasury cycles: {string.Join("; ", reports)}");
    }

    /// <summary>
    /// The ledger agrees with the chain to the nanoTON: system:chain is minus what the network's wallets hold, and nothing
    /// is in flight once every payout settled.
    /// </summary>
    public async Task AssertLedgerMatchesChain()
    {
        await Watcher.Scan();
        await TreasuryGrain.RunOnce();
        await Watcher.Scan();
        var onChain = await ChainBalance(Treasury.Address) + await ChainBalance(Deposit.Address);
        Assert.Equal(-onChain, await Balance(Accounts.Chain));
    }

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
