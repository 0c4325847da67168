using Cocoon.Grains.Hosting;
using Cocoon.Grains.Placement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Chain;

/// <summary>Keeps the deposit wallet's chain watcher polling (see <see cref="GrainKeepAliveService"/>).</summary>
public sealed class ChainWatcherService(
    IGrainFactory grains, DepositWalletAddress deposit, IOptions<ChainWatcherOptions> options, LocalSiloInfo local,
    IHostApplicationLifetime lifetime, ILogger<ChainWatcherService> logger) : GrainKeepAliveService(local, lifetime, logger)
{
    protected override string Description => $"Watching deposit wallet {deposit.Address}";

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task StartGrain() => grains.GetGrain<IChainWatcherGrain>(deposit.Address).Start();
}
