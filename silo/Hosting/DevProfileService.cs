using Cocoon.Hosting;
using Cocoon.Wallets;
using Microsoft.Extensions.Options;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// The dev profile's first start: a dev account id in the data directory, funded once by the faucet through
/// two ledger entries (the faucet's debit and the account's deposit), so no balance appears unexplained.
/// </summary>
public sealed class DevProfileService(
    IGrainFactory grains, IOptions<SiloSettings> settings, ILogger<DevProfileService> logger) : IHostedService
{
    public const string DevAccount = "dev";
    private const string FundingId = "dev-profile-initial-funding";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var home = CocoonHome.Resolve(s.Home);
        var file = CocoonHome.DevAccountFile(home);
        if (!File.Exists(file)) await File.WriteAllTextAsync(file, DevAccount + "\n", cancellationToken);
        var account = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        var amount = s.DevFundingNano;
        if (amount <= 0) return;
        // Both entries are idempotent by their id: a restart finds them applied and changes nothing.
        await grains.GetGrain<IWalletGrain>(Accounts.Faucet).Debit(FundingId, LedgerEntryKind.Transfer, amount, account, "dev profile funding");
        var entry = await grains.GetGrain<IWalletGrain>(account).Credit(FundingId, LedgerEntryKind.Deposit, amount, Accounts.Faucet, "dev profile funding");
        logger.LogInformation("Dev account {Account} funded with {Amount} nanoTON by the faucet (ledger entry {Sequence})", account, amount, entry.Sequence);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
