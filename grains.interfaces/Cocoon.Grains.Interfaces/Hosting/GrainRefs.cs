using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cocoon.Hosting;

/// <summary>
/// Grain references by string key without Orleans' per-call lookup of the interface's grain type: its
/// <c>GetGrain&lt;T&gt;(string)</c> reads the interface's attributes by reflection on every call, a few percent of a
/// silo's CPU on the job path (docs/benchmarks.md). The interface and grain types are resolved once per grain
/// factory, the same way Orleans resolves them; the reference is the one <c>GetGrain&lt;T&gt;</c> returns.
/// </summary>
public static class GrainRefs
{
    private static readonly ConditionalWeakTable<IGrainFactory, ConcurrentDictionary<Type, Resolved>> Cache = new();

    /// <summary>The grain of interface <typeparamref name="T"/> with key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is null, empty or white space (as for <c>GetGrain&lt;T&gt;</c>).</exception>
    public static T Grain<T>(this IGrainFactory factory, string key) where T : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var types = Cache.GetOrCreateValue(factory);
        if (types.TryGetValue(typeof(T), out var resolved))
            return (T)factory.GetGrain(GrainId.Create(resolved.GrainType, IdSpan.Create(key)), resolved.InterfaceType);

        var grain = factory.GetGrain<T>(key);
        // A client that has not yet seen a silo implementing T gets a provisional (system) type: that one is not kept.
        if (grain is GrainReference reference && !reference.GrainId.Type.ToString().StartsWith(GrainTypePrefix.SystemPrefix, StringComparison.Ordinal))
            types.TryAdd(typeof(T), new Resolved(reference.GrainId.Type, reference.InterfaceType));
        return grain;
    }

    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);
}
