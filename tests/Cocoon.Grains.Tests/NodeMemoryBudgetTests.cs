using Cocoon.Grains.Placement;
using Cocoon.Nodes;
using Cocoon.Routing;

namespace Cocoon.Grains.Tests;

/// <summary>Several models per node within a memory budget: what does not fit is not loaded, the rest serves.</summary>
public sealed class NodeMemoryBudgetTests
{
    [Fact]
    public async Task A_model_past_the_budget_is_not_loaded_and_the_others_serve()
    {
        // The test loaders estimate 1 MiB per model: a 2 MiB budget takes echo and echo-slow, not flaky (loaded in order).
        await using var c = await CocoonCluster.StartAsync(
            [new(SiloRole.Core), new(SiloRole.Worker, "gpu-a")],
            node: n => n.MemoryBudgetMiB = 2);

        // The node heartbeats only after every load was attempted, so its descriptor is final once the router lists it.
        await Eventually.True(async () => (await c.Client.GetGrain<IRouterGrain>("echo").ListNodes()).Count == 1,
            TimeSpan.FromSeconds(30), "node gpu-a serving echo");

        var descriptor = await c.Client.GetGrain<INodeGrain>("gpu-a").Describe();
        Assert.Equal(["echo", "echo-slow"], descriptor.Models);
        Assert.Empty(await c.Client.GetGrain<IRouterGrain>("flaky").ListNodes());
    }
}
