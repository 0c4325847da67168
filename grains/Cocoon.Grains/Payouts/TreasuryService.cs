using Cocoon.Grains.Placement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// Keeps the treasury's cycle timer running (no durable reminder service on the single-machine silo): starts it once
/// the silo is up and pokes it every few intervals, which reactivates it wherever it went.
/// </summary>
public sealed class TreasuryService(
    IGrainFactory grains, TreasuryAddress treasury, IOptions<TreasuryOptions> options, LocalSiloInfo local,
    IHostApplicationLifetime lifetime, ILogger<TreasuryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!local.Roles.HasFlag(SiloRole.Core)) return;
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
        logger.LogInformation("Treasury {Address}: paying out every {Interval}", treasury.Address, options.Value.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ITreasuryGrain>(treasury.Address).Start();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not start the treasury {Address}; trying again", treasury.Address);
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
