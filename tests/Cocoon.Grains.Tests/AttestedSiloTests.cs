using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.RaTls;
using Cocoon.Confidential.Simulation;
using Cocoon.Grains.ClusterTls;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Cocoon.Grains.Tests;

/// <summary>
/// Attested membership over mutual TLS (RA-TLS): a core silo with an operator certificate admits a worker silo only when
/// the worker's certificate carries a quote its attestation policy accepts.
/// </summary>
public sealed class AttestedSiloTests : IDisposable
{
    private static readonly ConcurrentDictionary<string, Func<string, SiloTlsOptions>> Configs = new();
    private readonly DevCertificateAuthority _devCa = DevCertificateAuthority.Create();
    private readonly OperatorPki _pki = new();

    public void Dispose()
    {
        _devCa.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task Worker_with_simulated_evidence_joins_when_policy_allows_simulated()
    {
        await using var cluster = await StartCluster(name => IsCore(name) ? CoreTls(AttestationPolicy.Development) : WorkerTls(SimulatedIdentity()));

        var worker = await cluster.StartAdditionalSiloAsync();

        await Eventually.True(async () => (await ActiveSilos(cluster)).Contains(worker.SiloAddress), TimeSpan.FromSeconds(30), "the worker silo active");
    }

    [Fact]
    public async Task Worker_with_simulated_evidence_is_refused_when_policy_does_not_allow_simulated()
    {
        var production = AttestationPolicy.Development with { AllowSimulated = false };
        await using var cluster = await StartCluster(name => IsCore(name) ? CoreTls(production) : WorkerTls(SimulatedIdentity()));

        await AssertCannotJoin(cluster);
    }

    [Fact]
    public async Task Worker_without_evidence_is_refused()
    {
        using var selfSigned = SelfSigned("CN=worker without evidence");
        await using var cluster = await StartCluster(name => IsCore(name) ? CoreTls(AttestationPolicy.Development) : new SiloTlsOptions
        {
            Certificate = selfSigned,
            ClusterAuthorities = [_pki.Root],
            HandshakeTimeout = TimeSpan.FromSeconds(5),
        });

        await AssertCannotJoin(cluster);
    }

    [Fact]
    public async Task Clients_reach_a_tls_gateway_without_a_certificate_or_quote()
    {
        var caFile = Path.Combine(Path.GetTempPath(), $"cocoon-gateway-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(caFile, _pki.Root.ExportCertificatePem());
        try
        {
            await using var cluster = await StartCluster(_ => CoreTls(AttestationPolicy.Development, GatewayTlsMode.Server),
                client => client.UseTls(Cocoon.Client.GatewayTls.Options(caFile)));
            Assert.Single(await ActiveSilos(cluster));
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    private async Task AssertCannotJoin(InProcessTestCluster cluster)
    {
        // The core refuses the worker's TLS handshakes: the worker cannot validate connectivity, so its start fails
        // within MaxJoinAttemptTime (failed pings, or the join cancelled at the limit), and the core never lists it as active.
        var refused = await Record.ExceptionAsync(() => cluster.StartAdditionalSiloAsync());
        Assert.True(refused is Orleans.Runtime.MembershipService.OrleansClusterConnectivityCheckFailedException or OperationCanceledException,
            $"the worker silo started, or failed for another reason: {refused}");
        Assert.Single(await ActiveSilos(cluster));
    }

    /// <summary>The first silo the test cluster starts ("Primary" or "Silo_0", by Orleans version) is the core silo.</summary>
    private static bool IsCore(string siloName) => siloName is "Primary" or "Silo_0";

    private static async Task<SiloAddress[]> ActiveSilos(InProcessTestCluster cluster)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        return [.. (await management.GetHosts(onlyActive: true)).Keys];
    }

    /// <summary>One core silo ("Primary"); silos started later take <paramref name="config"/>'s options for their name.</summary>
    private static async Task<InProcessTestCluster> StartCluster(Func<string, SiloTlsOptions> config, Action<IClientBuilder>? client = null)
    {
        var key = Guid.NewGuid().ToString("N");
        Configs[key] = config;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = "ratls-" + key[..8];
        builder.ConfigureSilo((options, silo) =>
        {
            silo.UseCocoonTls(Configs[key](options.SiloName));
            // A refused worker gives up joining soon, instead of after the default five minutes.
            silo.Configure<ClusterMembershipOptions>(o => o.MaxJoinAttemptTime = TimeSpan.FromSeconds(5));
        });
        if (client is not null) builder.ConfigureClient(client);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private SiloTlsOptions CoreTls(AttestationPolicy policy, GatewayTlsMode gateway = GatewayTlsMode.Off) => new()
    {
        Gateway = gateway,
        Certificate = _pki.Issue("CN=core silo"),
        ClusterAuthorities = [_pki.Root],
        Attestation = new RaTlsVerifier(new QuoteVerifier(_devCa.CreateTrustAnchors()), policy, null, TimeProvider.System),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
    };

    private SiloTlsOptions WorkerTls(RaTlsIdentity identity) => new()
    {
        Identity = identity,
        ClusterAuthorities = [_pki.Root],
        HandshakeTimeout = TimeSpan.FromSeconds(5),
    };

    private RaTlsIdentity SimulatedIdentity() =>
        new(new SimulatedTee(_devCa), "worker silo", TimeProvider.System, TimeSpan.FromHours(1), TimeSpan.FromDays(1));

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The operator's private CA that issues core silos' certificates.</summary>
    private sealed class OperatorPki : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private readonly X509Certificate2 _rootWithKey;

        public OperatorPki()
        {
            var request = new CertificateRequest("CN=Cocoon test cluster CA", _key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            _rootWithKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            Root = X509CertificateLoader.LoadCertificate(_rootWithKey.RawData);
        }

        public X509Certificate2 Root { get; }

        public X509Certificate2 Issue(string subject)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var issued = request.Create(_rootWithKey, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
            return issued.CopyWithPrivateKey(key);
        }

        public void Dispose()
        {
            _key.Dispose();
            _rootWithKey.Dispose();
            Root.Dispose();
        }
    }
}
