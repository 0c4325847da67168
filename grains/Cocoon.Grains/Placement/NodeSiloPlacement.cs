using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Cocoon.Grains.Placement;

/// <summary>Places a node grain on the worker silo that hosts that node, and nowhere else.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.placement.node")]
public sealed class NodeSiloPlacement : PlacementStrategy
{
    internal static readonly NodeSiloPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodeSiloPlacementAttribute() : PlacementAttribute(NodeSiloPlacement.Instance);

internal sealed class NodeSiloPlacementDirector(
    ISiloMetadataCache metadata, ILocalSiloDetails localSilo, LocalSiloInfo local) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var nodeId = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (Hosts(silo, nodeId))
                return Task.FromResult(silo);
        }
        throw new Errors.NodeUnavailableException(nodeId, "no live worker silo hosts it.");
    }

    private bool Hosts(SiloAddress silo, string nodeId)
    {
        if (silo.Equals(localSilo.SiloAddress))
            return local.Roles.HasFlag(SiloRole.Worker) && local.NodeIds.Contains(nodeId);
        var data = metadata.GetSiloMetadata(silo).Metadata;
        return data.TryGetValue(SiloMetadataKeys.Roles, out var roles)
            && SiloMetadataKeys.ParseRoles(roles).HasFlag(SiloRole.Worker)
            && data.TryGetValue(SiloMetadataKeys.Nodes, out var nodes)
            && nodes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(nodeId, StringComparer.Ordinal);
    }
}
