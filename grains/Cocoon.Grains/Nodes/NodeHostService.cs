using Cocoon.Inference.Catalog;
using Cocoon.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.Nodes;

/// <summary>
/// On a worker silo: loads each node's models (in the background, so the silo serves as soon as one is ready),
/// activates the node grains so they start heartbeating, and drains them on shutdown.
/// </summary>
public sealed class NodeHostService(
    NodeRuntime runtime,
    IEnumerable<IModelLoader> loaders,
    IGrainFactory grains,
    ILogger<NodeHostService> logger,
    Microsoft.Extensions.Options.IOptions<DrainOptions> drain) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(() => LoadAll(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task LoadAll(CancellationToken cancellationToken)
    {
        foreach (var node in runtime.Nodes)
        {
            foreach (var model in node.Config.Models)
            {
                var loader = loaders.FirstOrDefault(l => l.CanLoad(model));
                if (loader is null)
                {
                    logger.LogError("Node {NodeId}: no loader knows model '{Model}'; check Cocoon:Models in the configuration", node.Config.Id, model);
                    continue;
                }
                try
                {
                    logger.LogInformation("Node {NodeId}: loading model {Model}", node.Config.Id, model);
                    node.Sessions[model] = await node.Host.LoadAsync(model, loader.EstimateBytes(model), ct => loader.LoadAsync(model, ct), cancellationToken);
                    logger.LogInformation("Node {NodeId}: model {Model} ready ({UsedMiB} of {BudgetMiB} MiB of the node's memory budget in use)",
                        node.Config.Id, model, node.Host.UsedBytes >> 20, node.Host.MemoryBudgetBytes >> 20);
                }
                catch (ModelMemoryBudgetException e)
                {
                    logger.LogError("Node {NodeId}: model {Model} not loaded: {Reason} (Cocoon:Nodes:*:MemoryBudgetMiB)", node.Config.Id, model, e.Message);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Node {NodeId}: loading model {Model} failed", node.Config.Id, model);
                }
            }
            await Activate(node.Config.Id, cancellationToken);
        }
    }

    private async Task Activate(string nodeId, CancellationToken cancellationToken)
    {
        // The silo may still be joining: retry until the node grain activates here.
        for (var delay = TimeSpan.FromMilliseconds(100); !cancellationToken.IsCancellationRequested; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks)))
        {
            try
            {
                await grains.GetGrain<INodeGrain>(nodeId).Describe();
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Node {NodeId} not activated yet; retrying", nodeId);
                await Task.Delay(delay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        await _loading.ContinueWith(_ => { }, TaskScheduler.Default);
        var timeout = drain.Value.Timeout;
        logger.LogInformation("Draining {Count} node(s) for up to {Timeout}", runtime.Nodes.Count, timeout);
        await Task.WhenAll(runtime.Nodes.Select(async n =>
        {
            try { await grains.GetGrain<INodeGrain>(n.Config.Id).Drain(timeout); }
            catch (Exception e) { logger.LogWarning(e, "Draining node {NodeId} failed", n.Config.Id); }
        }));
        foreach (var node in runtime.Nodes)
        {
            node.Sessions.Clear();
            await node.Host.DisposeAsync();
        }
    }
}

public sealed class DrainOptions
{
    /// <summary>How long shutdown waits for running jobs to finish.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
