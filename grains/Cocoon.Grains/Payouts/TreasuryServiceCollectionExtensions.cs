using Cocoon.Grains.Chain;
using Cocoon.Ton.Toncenter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cocoon.Grains.Payouts;

public static class TreasuryServiceCollectionExtensions
{
    /// <summary>
    /// Pays out from <paramref name="treasury"/> through the toncenter API at <paramref name="toncenter"/>. With
    /// <paramref name="depositWallet"/> the treasury also sweeps it. Core silos run the treasury; workers never hold its key
    /// in a grain (keep the mnemonic file off worker machines).
    /// </summary>
    public static IServiceCollection AddCocoonTreasury(this IServiceCollection services, ToncenterOptions toncenter, TreasuryWallet treasury,
        DepositWallet? depositWallet = null, Action<TreasuryOptions>? configure = null, bool runService = true)
    {
        ArgumentNullException.ThrowIfNull(toncenter);
        ArgumentNullException.ThrowIfNull(treasury);
        services.TryAddSingleton(_ => new ToncenterClient(toncenter));
        services.AddSingleton(treasury);
        services.AddSingleton(new TreasuryAddress(treasury.Address));
        if (depositWallet is not null)
        {
            services.TryAddSingleton(depositWallet);
            services.TryAddSingleton(new DepositWalletAddress(depositWallet.Address));
        }
        services.AddOptions<TreasuryOptions>().Configure(o => configure?.Invoke(o));
        if (runService) services.AddHostedService<TreasuryService>();
        return services;
    }
}
