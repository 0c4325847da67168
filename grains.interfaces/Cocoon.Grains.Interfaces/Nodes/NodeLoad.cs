namespace Cocoon.Nodes;

/// <summary>A node's load as it reports it in heartbeats.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-load.v1")]
public readonly record struct NodeLoad(
    [property: Id(0)] int Running,
    [property: Id(1)] int Queued,
    [property: Id(2)] double RecentLatencyMs)
{
    /// <summary>COCOON's ranking: load times recent latency; lower is better. An idle node with no history ranks first.</summary>
    public double Score(int maxActive) =>
        (1.0 + Running + Queued) / Math.Max(1, maxActive) * Math.Max(1.0, RecentLatencyMs);
}
