namespace Cocoon.Registry;

/// <summary>The network's parameters (COCOON's root contract role). One grain, key <see cref="Key"/>; core silos only.</summary>
[Alias("cocoon.registry")]
public interface IRegistryGrain : IGrainWithStringKey
{
    public const string Key = "network";

    [Alias("get")]
    Task<NetworkParameters> Get();

    /// <summary>Replaces the parameters; <paramref name="proposed"/>.Version must be the current version + 1.</summary>
    [Alias("update"), Security.InternalOnly]
    Task<NetworkParameters> Update(NetworkParameters proposed);
}
