using System.Collections.Concurrent;
using System.Reflection;
using Cocoon.Errors;
using Cocoon.Security;
using Orleans.Serialization.Invocation;

namespace Cocoon.Grains.Security;

/// <summary>
/// Orleans trusts every connected client; Cocoon's clients are third parties. This filter refuses any
/// <see cref="InternalOnlyAttribute"/> method when the call comes from a client connection, including the
/// start of a streamed (IAsyncEnumerable) call, which arrives wrapped in a grain-extension request.
/// </summary>
public sealed class InternalCallFilter(InternalCallFilterOptions options, ISiloStatusOracle silos) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (!options.AllowInternalCallsFromClients && context.SourceId is { } source && GrainTypePrefix.IsClient(source) && !IsSiloHostedClient(source))
        {
            if (IsInternal(context.InterfaceMethod))
                throw new CallRefusedException($"{context.InterfaceName}.{context.MethodName}");
            var request = context.Request;
            for (var i = 0; i < request.GetArgumentCount(); i++)
            {
                if (request.GetArgument(i) is IInvokable inner && IsInternal(inner.GetMethod()))
                    throw new CallRefusedException($"{inner.GetInterfaceName()}.{inner.GetMethodName()}");
            }
        }
        return context.Invoke();
    }

    /// <summary>
    /// Code running on a silo outside a grain (hosted services) calls through the silo's hosted client, whose id names
    /// the silo. It is trusted only when that silo is an active member. Gateway clients choose their own ids, so mutual
    /// TLS on the gateway (see docs/security.md) is what finally binds an id to a connection.
    /// </summary>
    private bool IsSiloHostedClient(GrainId source)
    {
        const string Prefix = "hosted-";
        var key = source.Key.ToString();
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        try
        {
            var silo = SiloAddress.FromParsableString(key[Prefix.Length..]);
            return silos.GetApproximateSiloStatuses(onlyActive: true).ContainsKey(silo);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Attribute lookups are reflection: each interface method is looked up once and remembered.</summary>
    private static readonly ConcurrentDictionary<MethodInfo, bool> Internal = new();

    private static bool IsInternal(MethodInfo? method) =>
        method is not null
        && Internal.GetOrAdd(method, static m => m.IsDefined(typeof(InternalOnlyAttribute), inherit: true)
            || m.DeclaringType?.IsDefined(typeof(InternalOnlyAttribute), inherit: true) == true);
}

public sealed class InternalCallFilterOptions
{
    /// <summary>Only for benchmarks that measure a direct node call as their baseline; never in production.</summary>
    public bool AllowInternalCallsFromClients { get; set; }
}
