using Cocoon.Registry;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Security;

/// <summary>
/// The account limits this silo last saw in the registry. Job admission reads the registry anyway and refreshes this,
/// so reads and cancellations are limited by the registry's numbers without a registry call of their own.
/// </summary>
public sealed class CurrentLimits(IOptions<NetworkParameters> configured)
{
    private AccountLimits _limits = configured.Value.Limits;

    public AccountLimits Value => Volatile.Read(ref _limits);

    public void Observe(NetworkParameters parameters) => Volatile.Write(ref _limits, parameters.Limits);
}
