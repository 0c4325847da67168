using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Simulation;
using Cocoon.Grains.ClusterTls;
using Cocoon.Grains.Nodes;
using Cocoon.Silo.Hosting;

namespace Cocoon.Grains.Tests;

/// <summary>The silo's Cocoon:Tls and Cocoon:Confidential settings: what each profile accepts, and the shared dev CA.</summary>
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cocoon-tls-settings-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Production_refuses_simulated_evidence_at_start_and_says_so()
    {
        var problems = ClusterTlsHosting.Validate(new TlsSettings { Mode = "mutual", Tee = "simulated" }, new ConfidentialSettings(), isDev: false);
        Assert.Contains(problems, p => p.Contains("production profile refuses simulated evidence", StringComparison.Ordinal));

        var policy = Path.Combine(_root, "policy.json");
        File.WriteAllText(policy, """{ "allowSimulated": true }""");
        problems = ClusterTlsHosting.Validate(new TlsSettings(), new ConfidentialSettings { PolicyPath = policy }, isDev: false);
        Assert.Contains(problems, p => p.Contains("allows simulated evidence", StringComparison.Ordinal));

        // Sealing with simulated evidence is refused in production too (Cocoon:Sealing).
        Assert.Contains(new SiloSettings { Profile = "production", Sealing = "simulated" }.Validate(), p => p.Contains("simulated", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_values_and_missing_certificates_are_named()
    {
        var problems = ClusterTlsHosting.Validate(new TlsSettings { Mode = "on", Gateway = "mutual" }, new ConfidentialSettings(), isDev: true);
        Assert.Contains(problems, p => p.StartsWith("Cocoon:Tls:Mode 'on'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cocoon:Tls:Gateway 'mutual'", StringComparison.Ordinal));
        problems = ClusterTlsHosting.Validate(new TlsSettings { Mode = "mutual", Identity = "certificate" }, new ConfidentialSettings(), isDev: true);
        Assert.Contains(problems, p => p.Contains("CertificatePath", StringComparison.Ordinal));
        Assert.Empty(ClusterTlsHosting.Validate(new TlsSettings(), new ConfidentialSettings(), isDev: true));
    }

    [Fact]
    public void Dev_mutual_tls_gets_a_simulated_ra_tls_identity_from_the_shared_dev_ca()
    {
        var shared = Path.Combine(_root, "cluster-ca");
        var tls = new TlsSettings { Mode = "mutual", Tee = "simulated" };
        var confidential = new ConfidentialSettings { DevCaPath = shared };
        Assert.Empty(ClusterTlsHosting.Validate(tls, confidential, isDev: true));
        var a = ClusterTlsHosting.Create(tls, confidential, isDev: true, Path.Combine(_root, "home-a"), "silo a", TimeProvider.System)!;
        var b = ClusterTlsHosting.Create(tls, confidential, isDev: true, Path.Combine(_root, "home-b"), "silo b", TimeProvider.System)!;
        Assert.Null(ClusterTlsHosting.Create(new TlsSettings(), confidential, isDev: true, _root, "off", TimeProvider.System));

        // Each silo admits the other: their RA-TLS certificates come from one dev CA.
        var aByB = b.Attestation!.Verify(a.LocalCertificate());
        Assert.True(aByB.Verified, aByB.FailureReason);
        var bByA = a.Attestation!.Verify(b.LocalCertificate());
        Assert.True(bByA.Verified, bByA.FailureReason);
        Assert.Equal(GatewayTlsMode.Off, a.Gateway);
    }

    [Fact]
    public async Task Nodes_of_silos_with_separate_data_directories_share_the_configured_dev_ca()
    {
        var shared = Path.Combine(_root, "cluster-ca");
        using var first = new AttestedNodeCrypto(new ConfidentialOptions { Home = Path.Combine(_root, "silo-1"), DevCaPath = shared }, TimeProvider.System);
        using var second = new AttestedNodeCrypto(new ConfidentialOptions { Home = Path.Combine(_root, "silo-2"), DevCaPath = shared }, TimeProvider.System);
        var one = first.Describe("node-1");
        var two = second.Describe("node-2");

        // A client that pins only the shared root verifies both nodes.
        using var ca = DevCertificateAuthority.Load(shared);
        var verifier = new AttestationVerifier(new QuoteVerifier(ca.CreateTrustAnchors()), null, AttestationPolicy.Development);
        foreach (var node in new[] { one, two })
        {
            var evidence = new Evidence(node.Evidence, node.EvidenceVersion, DateTimeOffset.FromUnixTimeMilliseconds(node.EvidenceVersion), node.SealingKey, node.SigningKey);
            var result = await verifier.VerifyAsync("node", evidence);
            Assert.True(result.Verified, result.FailureReason);
        }
        Assert.False(Directory.Exists(Path.Combine(_root, "silo-1", "dev-ca")));
    }
}
