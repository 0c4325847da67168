using Cocoon.Grains.Jobs;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Routing;
using Cocoon.Inference.Echo;
using Cocoon.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Cocoon.Grains.Hosting;

/// <summary>Everything a silo needs to host Cocoon grains in the given roles.</summary>
public sealed class CocoonSiloOptions
{
    public SiloRole Roles { get; set; } = SiloRole.Core | SiloRole.Worker;
    public string Region { get; set; } = "local";
    public List<NodeConfig> Nodes { get; set; } = [];
    public EchoOptions Echo { get; set; } = new();
    public NetworkParameters Network { get; set; } = new();
    public TorchModelLoaderOptions Torch { get; set; } = new();
    public Security.InternalCallFilterOptions Security { get; set; } = new();
    /// <summary>Attested keys and sealed payloads for this silo's nodes; null: keyless nodes that run plaintext payloads.</summary>
    public ConfidentialOptions? Confidential { get; set; }
    /// <summary>
    /// Entries in Orleans' grain directory cache (Orleans' default: 1,000,000). Every job grain leaves one behind, so a
    /// busy silo fills it, and its size gauge walks every entry each time metrics are collected: about 0.3 µs an entry,
    /// once a second for the dashboard, so a full default cache costs a third of a core. 20,000 holds the hot grains
    /// (wallets, nodes, routers) and the last 20 seconds of jobs at 1,000 jobs/s.
    /// </summary>
    public int DirectoryCacheSize { get; set; } = DefaultDirectoryCacheSize;

    public const int DefaultDirectoryCacheSize = 20_000;
}

public static class CocoonSiloExtensions
{
    public static ISiloBuilder AddCocoon(this ISiloBuilder silo, CocoonSiloOptions options)
    {
        var nodes = options.Roles.HasFlag(SiloRole.Worker) ? options.Nodes : [];
        var local = new LocalSiloInfo(options.Roles, nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal), options.Region);
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloMetadataKeys.Roles] = SiloMetadataKeys.FormatRoles(options.Roles),
            [SiloMetadataKeys.Nodes] = string.Join(' ', local.NodeIds),
            [SiloMetadataKeys.Region] = options.Region,
        });
        silo.AddPlacementDirector<CoreSilosOnlyPlacement, CoreSilosOnlyPlacementDirector>();
        silo.AddPlacementDirector<NodeSiloPlacement, NodeSiloPlacementDirector>();

        silo.AddIncomingGrainCallFilter<Security.InternalCallFilter>();
        if (options.DirectoryCacheSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.DirectoryCacheSize, "DirectoryCacheSize must be positive.");
        silo.Configure<Orleans.Configuration.GrainDirectoryOptions>(o => o.CacheSize = options.DirectoryCacheSize);
        var services = silo.Services;
        services.AddSingleton(options.Security);
        services.AddSingleton(local);
        services.TryAddSingleton(TimeProvider.System);
        // Grain state uses Orleans' own versioned binary codecs ([GenerateSerializer] ids), whatever store holds it:
        // rolling upgrades keep reading old state, and records and polymorphic events round-trip exactly.
        services.AddKeyedSingleton<Orleans.Storage.IGrainStorageSerializer, Orleans.Storage.OrleansGrainStorageSerializer>(CocoonStorage.Name);
        services.AddSingleton(new NodeRuntime(nodes));
        services.AddSingleton<CandidateCache>();
        services.AddSingleton<Registry.NetworkParametersCache>();
        services.AddSingleton<CircuitBreakers>();
        if (options.Confidential is { } confidential)
            services.TryAddSingleton<INodeCrypto>(sp => new AttestedNodeCrypto(confidential, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<INodeCrypto, PlaintextNodeCrypto>();
        // Verifies signed receipts of keyed nodes and accepts only unsigned ones from keyless nodes: right for either kind.
        services.TryAddSingleton<IReceiptVerifier, Ed25519ReceiptVerifier>();
        services.AddSingleton(options.Echo);
        services.AddSingleton<IModelLoader, EchoModelLoader>();
        services.AddSingleton(options.Torch);
        services.AddSingleton<IModelLoader, TorchModelLoader>();
        services.AddOptions<JobOptions>();
        services.AddOptions<RouterOptions>();
        services.AddOptions<CircuitBreakerOptions>();
        services.AddOptions<NodeOptions>();
        services.AddOptions<DrainOptions>();
        services.AddOptions<Security.RequestVerificationOptions>();
        services.AddSingleton<Security.CurrentLimits>();
        services.AddSingleton<Security.SiloRequestLimiter>();
        services.AddSingleton<Security.RequestVerifier>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Network));
        if (nodes.Count > 0)
            services.AddHostedService<NodeHostService>();
        return silo;
    }
}
