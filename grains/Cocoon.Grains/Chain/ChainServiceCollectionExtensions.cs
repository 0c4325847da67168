using Cocoon.Ton.Toncenter;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Grains.Chain;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Watches <paramref name="depositAddress"/> through the toncenter API at <paramref name="toncenter"/> (real toncenter
    /// or the dev chain) and credits its deposits. Core silos run the watcher; the service is a no-op on workers.
    /// </summary>
    public static IServiceCollection AddCocoonChainWatcher(this IServiceCollection services, ToncenterOptions toncenter, string depositAddress,
        Action<ChainWatcherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(toncenter);
        ArgumentException.ThrowIfNullOrWhiteSpace(depositAddress);
        services.AddSingleton(_ => new ToncenterClient(toncenter));
        services.AddSingleton(new DepositWalletAddress(depositAddress));
        services.AddOptions<ChainWatcherOptions>().Configure(o => configure?.Invoke(o));
        services.AddHostedService<ChainWatcherService>();
        return services;
    }
}
