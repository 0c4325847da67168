using Cocoon.Grains.Routing;
using Cocoon.Nodes;
using Cocoon.Routing;

namespace Cocoon.Grains.Tests;

public sealed class RouterTests
{
    private static NodeCandidate Node(string id, int running, double latency, int coefficient = 1000, string region = "eu") =>
        new(new NodeDescriptor(id, ["m"], coefficient, 4, region, "owner"), new NodeLoad(running, 0, latency), DateTimeOffset.UtcNow);

    [Fact]
    public void Ranks_by_load_times_latency()
    {
        var ranked = RouterGrain.Rank([Node("busy", 3, 10), Node("idle", 0, 10), Node("slow", 0, 100)], 3, null);
        Assert.Equal(["idle", "busy", "slow"], ranked.Select(c => c.Node.NodeId));
    }

    [Fact]
    public void Prefers_the_region_when_a_node_there_has_room()
    {
        var ranked = RouterGrain.Rank([Node("eu-idle", 0, 10), Node("us-busy", 2, 10, region: "us")], 2, "us");
        Assert.Equal("us-busy", ranked[0].Node.NodeId);
        var full = RouterGrain.Rank([Node("eu-idle", 0, 10), Node("us-full", 4, 10, region: "us")], 2, "us");
        Assert.Equal("eu-idle", full[0].Node.NodeId);
    }

    [Fact]
    public void Returns_at_most_k()
    {
        Assert.Single(RouterGrain.Rank([Node("a", 0, 1), Node("b", 0, 1)], 1, null));
        Assert.Empty(RouterGrain.Rank([Node("a", 0, 1)], 0, null));
    }
}
