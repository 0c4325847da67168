namespace Cocoon.Grains.Placement;

/// <summary>This silo's own roles and hosted nodes (the metadata cache may not list the local silo yet).</summary>
public sealed record LocalSiloInfo(SiloRole Roles, IReadOnlySet<string> NodeIds, string Region);
