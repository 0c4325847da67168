using Cocoon.Grains.Placement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Chain;

/// <summary>
/// Keeps the chain watcher's grain timer running. The single-machine silo has no durable reminder service, so a
/// reminder is not an option; instead this service pokes the watcher at start and then every few poll intervals, which
/// reactivates it (and its timer) if its silo went away or it was deactivated.
/// </summary>
public sealed class ChainWatcherService(
    IGrainFactory grains, DepositWalletAddress deposit, IOptions<ChainWatcherOptions> options, LocalSiloInfo local,
    IHostApplicationLifetime lifetime, ILogger<ChainWatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!local.Roles.HasFlag(SiloRole.Core)) return;
        // The silo is itself a hosted service: grain calls work once every hosted service has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        var every = TimeSpan.FromTicks(Math.Max(options.Value.PollInterval.Ticks * 6, TimeSpan.FromSeconds(10).Ticks));
        logger.LogInformation("Watching deposit wallet {Address} every {Interval}", deposit.Address, options.Value.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IChainWatcherGrain>(deposit.Address).Start();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not start the chain watcher for {Address}; trying again", deposit.Address);
            }
            try
            {
                await Task.Delay(every, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
