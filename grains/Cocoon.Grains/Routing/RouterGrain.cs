using Cocoon.Grains.Placement;
using Cocoon.Nodes;
using Cocoon.Routing;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Routing;

/// <summary>
/// The live node table of one model, rebuilt from heartbeats (no persistence: after a restart the nodes
/// report again within a heartbeat). Reentrant: every method is a short in-memory operation.
/// </summary>
[CoreSilosOnly, Reentrant]
public sealed class RouterGrain(TimeProvider time, IOptions<RouterOptions> options) : Grain, IRouterGrain
{
    private readonly Dictionary<string, NodeCandidate> _nodes = new(StringComparer.Ordinal);

    public Task Heartbeat(NodeDescriptor node, NodeLoad load)
    {
        _nodes[node.NodeId] = new NodeCandidate(node, load, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Remove(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NodeCandidate>> GetCandidates(int count, int maxCoefficient, string? region = null) =>
        Task.FromResult(Rank(Live().Where(c => c.Node.PriceCoefficient <= maxCoefficient), count, region));

    public Task<IReadOnlyList<NodeCandidate>> ListNodes() => Task.FromResult(Rank(Live(), int.MaxValue, null));

    private IEnumerable<NodeCandidate> Live()
    {
        var oldest = time.GetUtcNow() - options.Value.NodeExpiry;
        foreach (var stale in _nodes.Where(n => n.Value.LastSeen < oldest).Select(n => n.Key).ToArray())
            _nodes.Remove(stale);
        return _nodes.Values;
    }

    /// <summary>Best by load × latency; nodes in the wanted region that have room come first.</summary>
    internal static IReadOnlyList<NodeCandidate> Rank(IEnumerable<NodeCandidate> nodes, int count, string? region) =>
        nodes
            .OrderBy(c => region is not null && c.Node.Region == region && c.Load.Running + c.Load.Queued < c.Node.MaxActive ? 0 : 1)
            .ThenBy(c => c.Load.Score(c.Node.MaxActive))
            .ThenBy(c => c.Node.NodeId, StringComparer.Ordinal)
            .Take(Math.Max(0, count))
            .ToArray();
}
