namespace Cocoon.Grains.Placement;

/// <summary>The roles a silo plays, published in its silo metadata so placement on any silo can read them.</summary>
[Flags]
public enum SiloRole
{
    None = 0,
    /// <summary>The operator's silos: job, router, wallet, registry, treasury and chain grains.</summary>
    Core = 1,
    /// <summary>A GPU owner's silo: the node grains of its GPUs, nothing else.</summary>
    Worker = 2,
}

public static class SiloMetadataKeys
{
    public const string Roles = "cocoon.roles";
    /// <summary>Space-separated ids of the nodes a worker silo hosts.</summary>
    public const string Nodes = "cocoon.nodes";
    public const string Region = "cocoon.region";

    public static string FormatRoles(SiloRole roles) =>
        string.Join(',', new[] { SiloRole.Core, SiloRole.Worker }.Where(r => roles.HasFlag(r)).Select(r => r.ToString().ToLowerInvariant()));

    public static SiloRole ParseRoles(string? value)
    {
        var roles = SiloRole.None;
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "core" => SiloRole.Core,
                "worker" => SiloRole.Worker,
                _ => throw new ArgumentException($"Unknown silo role '{part}': use core, worker or both (core,worker)."),
            };
        }
        return roles;
    }
}
