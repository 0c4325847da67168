using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Cocoon.Grains.Placement;

/// <summary>Places a grain on a core silo only: a worker silo is someone else's machine.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.placement.core")]
public sealed class CoreSilosOnlyPlacement : PlacementStrategy
{
    internal static readonly CoreSilosOnlyPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CoreSilosOnlyAttribute() : PlacementAttribute(CoreSilosOnlyPlacement.Instance);

internal sealed class CoreSilosOnlyPlacementDirector(
    ISiloMetadataCache metadata, ILocalSiloDetails localSilo, LocalSiloInfo local) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var core = silos.Where(IsCore).ToArray();
        if (core.Length == 0)
            throw new Errors.CocoonException("no_core_silo",
                $"No core silo is in the cluster to host {target.GrainIdentity}: start a silo with the core role.");
        // Prefer the calling silo when it is a core silo: one hop less, and the choice spreads with the callers.
        if (local.Roles.HasFlag(SiloRole.Core) && core.Contains(localSilo.SiloAddress))
            return Task.FromResult(localSilo.SiloAddress);
        return Task.FromResult(core[Random.Shared.Next(core.Length)]);
    }

    private bool IsCore(SiloAddress silo) =>
        silo.Equals(localSilo.SiloAddress)
            ? local.Roles.HasFlag(SiloRole.Core)
            : metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Roles, out var roles)
              && SiloMetadataKeys.ParseRoles(roles).HasFlag(SiloRole.Core);
}
