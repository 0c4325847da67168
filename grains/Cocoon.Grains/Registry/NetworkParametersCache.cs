using Cocoon.Registry;

namespace Cocoon.Grains.Registry;

/// <summary>
/// The registry's parameters as this silo last read them, for at most <see cref="Ttl"/>: every job needs them at
/// admission, and asking the one registry grain each time would make it the hot grain every job waits on. A change
/// applies to jobs admitted after the copy expires; each job still keeps the prices it reserved at.
/// </summary>
public sealed class NetworkParametersCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    private sealed record Entry(NetworkParameters Value, DateTimeOffset FetchedAt);

    private Entry? _current;
    private Task<NetworkParameters>? _fetching;

    public Task<NetworkParameters> Get()
    {
        if (Volatile.Read(ref _current) is { } c && time.GetUtcNow() - c.FetchedAt < Ttl) return Task.FromResult(c.Value);
        // One fetch at a time per silo; concurrent jobs share it.
        return Volatile.Read(ref _fetching) ?? FetchAsync();
    }

    private async Task<NetworkParameters> FetchAsync()
    {
        var fetch = grains.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get();
        Volatile.Write(ref _fetching, fetch);
        try
        {
            var value = await fetch;
            Volatile.Write(ref _current, new Entry(value, time.GetUtcNow()));
            return value;
        }
        finally
        {
            _ = Interlocked.CompareExchange(ref _fetching, null, fetch);
        }
    }
}
