using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Cocoon.Client;

public static class CocoonClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers an Orleans client for the Cocoon network (static gateway list, activity propagation on) and
    /// <see cref="ICocoonClient"/>. The client connects when the host starts; gateways, cluster and account not set in
    /// <paramref name="configure"/> come from the data directory the local silo writes (see <see cref="CocoonConnection"/>).
    /// </summary>
    public static IServiceCollection AddCocoonClient(this IServiceCollection services, Action<CocoonClientOptions>? configure = null)
    {
        var options = services.AddOptions<CocoonClientOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => CocoonConnection.Resolve(sp.GetRequiredService<IOptions<CocoonClientOptions>>().Value));
        services.TryAddSingleton(sp => ClientAttestation.CreateVerifier(
            sp.GetRequiredService<CocoonConnection>(), sp.GetRequiredService<IOptions<CocoonClientOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SealedKeyStore(
            Path.Combine(sp.GetRequiredService<CocoonConnection>().Home, "sealed-jobs"),
            sp.GetRequiredService<IOptions<CocoonClientOptions>>().Value.SealedKeyRetention, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IJobPayloadSealer>(sp => new AttestedPayloadSealer(
            sp.GetRequiredService<IClusterClient>(), sp.GetRequiredService<Confidential.Attestation.IAttestationVerifier>(), sp.GetRequiredService<IOptions<CocoonClientOptions>>(),
            sp.GetRequiredService<SealedKeyStore>()));
        services.TryAddSingleton<CocoonClient>();
        services.TryAddSingleton<ICocoonClient>(sp => sp.GetRequiredService<CocoonClient>());
        services.AddOptions<ClusterOptions>().Configure<CocoonConnection>((cluster, connection) =>
        {
            cluster.ClusterId = connection.ClusterId;
            cluster.ServiceId = connection.ServiceId;
        });
        services.AddOrleansClient(client =>
        {
            client.UseStaticClustering((OptionsBuilder<StaticGatewayListProviderOptions> gateways) =>
                gateways.Configure<CocoonConnection>((o, connection) => o.Gateways = connection.Gateways.Select(g => g.ToGatewayUri()).ToList()));
            client.AddActivityPropagation();
            var declared = new CocoonClientOptions();
            configure?.Invoke(declared);
            if (declared.GatewayTls) client.UseTls(GatewayTls.Options(declared.GatewayCaPath));
        });
        return services;
    }
}
