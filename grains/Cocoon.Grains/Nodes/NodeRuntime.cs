using System.Collections.Concurrent;
using Cocoon.Inference;
using Cocoon.Inference.Catalog;

namespace Cocoon.Grains.Nodes;

/// <summary>
/// The silo-local side of the nodes a worker silo hosts: their configuration, loaded inference sessions and
/// live counters. The node grain (pinned to this silo) reads it; it never leaves the process.
/// </summary>
public sealed class NodeRuntime
{
    private readonly Dictionary<string, NodeInstance> _nodes;

    public NodeRuntime(IEnumerable<NodeConfig> nodes)
    {
        _nodes = nodes.ToDictionary(n => n.Id, n => new NodeInstance(n), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<NodeInstance> Nodes => _nodes.Values;

    public NodeInstance? Get(string nodeId) => _nodes.GetValueOrDefault(nodeId);
}

public sealed class NodeInstance(NodeConfig config)
{
    private long _latencyMicros;

    public NodeConfig Config { get; } = config;

    /// <summary>Owns the loaded sessions and keeps their sum within the node's memory budget.</summary>
    public ModelHost Host { get; } = new(config.MemoryBudgetBytes);

    /// <summary>Sessions by model name, added as each finishes loading.</summary>
    public ConcurrentDictionary<string, IInferenceSession> Sessions { get; } = new(StringComparer.Ordinal);

    public SemaphoreSlim Slots { get; } = new(Math.Max(1, config.MaxActive));

    public ConcurrentDictionary<string, CancellationTokenSource> Jobs { get; } = new(StringComparer.Ordinal);

    public int Running;
    public int Queued;
    public volatile bool Draining;

    /// <summary>Exponentially weighted time to first token, the "recent latency" routing multiplies load by.</summary>
    public double RecentLatencyMs => Interlocked.Read(ref _latencyMicros) / 1000.0;

    public void RecordLatency(TimeSpan firstToken)
    {
        var sample = (long)(firstToken.TotalMilliseconds * 1000);
        var old = Interlocked.Read(ref _latencyMicros);
        Interlocked.Exchange(ref _latencyMicros, old == 0 ? sample : (old * 7 + sample) / 8);
    }
}
