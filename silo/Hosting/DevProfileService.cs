using Cocoon.Grains.Chain;
using Cocoon.Hosting;
using Cocoon.Ton.DevChain;
using Cocoon.Wallets;
using Microsoft.Extensions.Options;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// The dev profile's first start: a dev account id in the data directory, funded once. With the dev chain running the
/// funding is a real deposit (the faucet sends TON to the deposit wallet with the account as comment, the chain watcher
/// credits it); without it, the faucet funds the account by two ledger entries, so no balance appears unexplained.
/// </summary>
public sealed class DevProfileService(
    IGrainFactory grains, IOptions<SiloSettings> settings, ILogger<DevProfileService> logger, RunningDevChain? devChain = null) : IHostedService
{
    public const string DevAccount = "dev";
    private const string FundingId = "dev-profile-initial-funding";
    /// <summary>Marks the dev chain deposit as sent, so a restart does not fund the account again.</summary>
    private const string DepositMarker = "dev-deposit.sent";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var home = CocoonHome.Resolve(s.Home);
        var file = CocoonHome.DevAccountFile(home);
        if (!File.Exists(file)) await File.WriteAllTextAsync(file, DevAccount + "\n", cancellationToken);
        var account = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        var amount = s.DevFundingNano;
        if (amount <= 0) return;
        if (devChain is not null)
        {
            await FundOnChain(Path.Combine(home, DepositMarker), account, amount, devChain, cancellationToken);
            return;
        }

        logger.LogWarning("No dev chain is running: funding the dev account {Account} from the ledger faucet, not by a deposit", account);
        // Both entries are idempotent by their id: a restart finds them applied and changes nothing.
        await grains.GetGrain<IWalletGrain>(Accounts.Faucet).Debit(FundingId, LedgerEntryKind.Transfer, amount, account, "dev profile funding");
        var entry = await grains.GetGrain<IWalletGrain>(account).Credit(FundingId, LedgerEntryKind.Deposit, amount, Accounts.Faucet, "dev profile funding");
        logger.LogInformation("Dev account {Account} funded with {Amount} nanoTON by the faucet (ledger entry {Sequence})", account, amount, entry.Sequence);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
