using Cocoon.Nodes;

namespace Cocoon.Routing;

/// <summary>
/// One per model: the live node table, fed by heartbeats; nodes silent for longer than the expiry leave it.
/// Lives on core silos. Callers cache candidates briefly (see <c>CandidateCache</c>) so it is no hot spot.
/// </summary>
[Alias("cocoon.router")]
public interface IRouterGrain : IGrainWithStringKey
{
    [Alias("heartbeat"), Security.InternalOnly]
    Task Heartbeat(NodeDescriptor node, NodeLoad load);

    [Alias("remove"), Security.InternalOnly]
    Task Remove(string nodeId);

    /// <summary>The best <paramref name="count"/> live nodes by load × recent latency, with price (and region, when given) as filters.</summary>
    [Alias("candidates")]
    Task<IReadOnlyList<NodeCandidate>> GetCandidates(int count, int maxCoefficient, string? region = null);

    /// <summary>Every live node of the model, best first.</summary>
    [Alias("nodes")]
    Task<IReadOnlyList<NodeCandidate>> ListNodes();
}
