namespace Cocoon.Grains.Nodes;

/// <summary>One GPU node a worker silo hosts, as its owner configures it.</summary>
public sealed class NodeConfig
{
    public string Id { get; set; } = "";
    /// <summary>Model names this node serves (each loaded by the silo's model loader).</summary>
    public List<string> Models { get; set; } = [];
    /// <summary>Price coefficient per mille (1000 = 1.0 × the network price).</summary>
    public int PriceCoefficient { get; set; } = 1000;
    /// <summary>Jobs running at once; more wait in a bounded queue.</summary>
    public int MaxActive { get; set; } = 8;
    public int QueueLimit { get; set; } = 64;
    public string Region { get; set; } = "local";
    /// <summary>The ledger account that earns this node's share.</summary>
    public string OwnerAccount { get; set; } = "";
    /// <summary>
    /// Memory this node's models may take together, in MiB (weights, KV caches, prefix cache as each loader estimates
    /// them). A model that would exceed it is not loaded. Unset: 80% of the memory available to the process.
    /// </summary>
    public long? MemoryBudgetMiB { get; set; }

    public long MemoryBudgetBytes => MemoryBudgetMiB is { } mib ? mib << 20 : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);
}
