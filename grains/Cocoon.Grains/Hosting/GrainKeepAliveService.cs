using Cocoon.Grains.Placement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.Hosting;

/// <summary>
/// Keeps a polling grain's timer running on core silos. The single-machine silo has no durable reminder service, so
/// instead this service pokes the grain once the silo is up and then every few poll intervals, which reactivates it
/// (and its timer) wherever it went if its silo died or it was deactivated.
/// </summary>
public abstract class GrainKeepAliveService(LocalSiloInfo local, IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    /// <summary>What the grain does, for the log ("Watching deposit wallet X").</summary>
    protected abstract string Description { get; }

    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Activates the grain and starts its timer (idempotent).</summary>
    protected abstract Task StartGrain();

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
        var every = TimeSpan.FromTicks(Math.Max(PollInterval.Ticks * 6, TimeSpan.FromSeconds(10).Ticks));
        logger.LogInformation("{Description} every {Interval}", Description, PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartGrain();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not start: {Description}; trying again", Description);
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
