using Cocoon.Grains.Chain;
using Cocoon.Hosting;
using Cocoon.Ton.DevChain;
using Cocoon.Wallets;
using Microsoft.Extensions.Options;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// The dev profile's first start: a dev account key in the data directory's secrets (mode 0600), its derived account id
/// beside it (<c>dev-account</c>, for scripts), the account funded once. With the dev chain running the
/// funding is a real deposit (the faucet sends TON to the deposit wallet with the account as comment, the chain watcher
/// credits it); without it, the faucet funds the account by two ledger entries, so no balance appears unexplained.
/// </summary>
public sealed class DevProfileService(
    IGrainFactory grains, IOptions<SiloSettings> settings, ILogger<DevProfileService> logger, RunningDevChain? devChain = null,
    Grains.Payouts.TreasuryWallet? treasury = null) : IHostedService
{
    private const string FundingId = "dev-profile-initial-funding";

    /// <summary>
    /// The operator's float the dev profile puts in the treasury once: deposits and payouts burn gas that no user pays,
    /// and without capital of its own the treasury would owe more than it holds (reconciliation's coverage check).
    /// </summary>
    private const long TreasuryFloatNano = 10_000_000_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var home = CocoonHome.Resolve(s.Home);
        var account = EnsureDevKey(home).AccountId;
        var amount = s.DevFundingNano;
        if (amount <= 0) return;
        if (devChain is not null)
        {
            // The marker names the account: a data directory from before account keys funds its new key-derived account once.
            await FundOnChain(Path.Combine(home, $"dev-deposit-{account}.sent"), account, amount, devChain, cancellationToken);
            if (treasury is not null)
                await FundTreasury(Path.Combine(home, "dev-treasury-float.sent"), treasury, devChain, cancellationToken);
            return;
        }

        logger.LogWarning("No dev chain is running: funding the dev account {Account} from the ledger faucet, not by a deposit", account);
        // Both entries are idempotent by their id: a restart finds them applied and changes nothing.
        await grains.GetGrain<IWalletGrain>(Accounts.Faucet).Debit(FundingId, LedgerEntryKind.Transfer, amount, account, "dev profile funding");
        var entry = await grains.GetGrain<IWalletGrain>(account).Credit(FundingId, LedgerEntryKind.Deposit, amount, Accounts.Faucet, "dev profile funding");
        logger.LogInformation("Dev account {Account} funded with {Amount} nanoTON by the faucet (ledger entry {Sequence})", account, amount, entry.Sequence);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads the dev account key, creating it on first start; a key file others may read is refused.</summary>
    public static Security.AccountKey EnsureDevKey(string home)
    {
        var keyFile = CocoonHome.DevAccountKeyFile(home);
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(CocoonHome.Secrets(home));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(CocoonHome.Secrets(home), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var created = Security.AccountKey.Create();
            try { created.Save(keyFile); }
            catch (IOException) when (File.Exists(keyFile)) { /* another process created it first: use theirs */ }
        }
        var key = Security.AccountKey.Load(keyFile);
        var idFile = CocoonHome.DevAccountFile(home);
        if (!File.Exists(idFile) || File.ReadAllText(idFile).Trim() != key.AccountId)
            File.WriteAllText(idFile, key.AccountId + "\n");
        return key;
    }

    /// <summary>Sends the treasury its float from the dev chain's faucet, once; the treasury books it as operator capital.</summary>
    private async Task FundTreasury(string marker, Grains.Payouts.TreasuryWallet wallet, RunningDevChain chain, CancellationToken cancellationToken)
    {
        if (File.Exists(marker)) return;
        try
        {
            var fund = await chain.Hooks.FundAsync(wallet.TopUpAddress, TreasuryFloatNano, cancellationToken: cancellationToken);
            await File.WriteAllTextAsync(marker, $"{fund.TransactionId?.Lt}:{fund.TransactionId?.Hash}\n", cancellationToken);
            logger.LogInformation("Dev treasury {Address}: topped up with {Amount} nanoTON of operator capital from the dev chain faucet", wallet.TopUpAddress, TreasuryFloatNano);
        }
        catch (DevChainException e)
        {
            logger.LogError(e, "The dev chain faucet could not top up the treasury {Address}", wallet.TopUpAddress);
        }
    }

    private async Task FundOnChain(string marker, string account, long amount, RunningDevChain chain, CancellationToken cancellationToken)
    {
        var watcher = grains.GetGrain<IChainWatcherGrain>(chain.Wallet.Address);
        if (!File.Exists(marker))
        {
            try
            {
                var fund = await chain.Hooks.FundAsync(chain.Wallet.DepositAddress, amount, comment: account, cancellationToken: cancellationToken);
                await File.WriteAllTextAsync(marker, $"{fund.TransactionId?.Lt}:{fund.TransactionId?.Hash}\n", cancellationToken);
                logger.LogInformation("Dev account {Account}: deposited {Amount} nanoTON on the dev chain to {Address}", account, amount, chain.Wallet.DepositAddress);
            }
            catch (DevChainException e)
            {
                logger.LogError(e, "The dev chain faucet could not fund the dev account {Account}", account);
                return;
            }
        }

        // Book it now rather than at the next poll, so the balance is there when the silo reports ready.
        try
        {
            await watcher.Scan();
        }
        catch (Exception e) when (e is Ton.Toncenter.ToncenterException or ChainWatcherException)
        {
            logger.LogWarning(e, "The dev deposit is booked at the chain watcher's next poll");
        }
    }
}
