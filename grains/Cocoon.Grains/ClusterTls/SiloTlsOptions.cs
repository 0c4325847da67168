using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.RaTls;

namespace Cocoon.Grains.ClusterTls;

/// <summary>How the client gateway is secured. Clients are third parties with no quote, so never mutual TLS.</summary>
public enum GatewayTlsMode
{
    /// <summary>Plain TCP: the single-machine dev network, or behind a TLS-terminating proxy.</summary>
    Off,
    /// <summary>TLS with the silo's certificate; clients authenticate the gateway and present no certificate.</summary>
    Server,
}

/// <summary>
/// Mutual TLS between silos: each presents either an operator-issued certificate (core silos; trusted through
/// <see cref="ClusterAuthorities"/>) or an RA-TLS certificate carrying its quote (worker silos; admitted only when
/// <see cref="Attestation"/> accepts the quote). See docs/operations.md, "TLS".
/// </summary>
public sealed class SiloTlsOptions
{
    /// <summary>This silo's certificate with its private key, issued by a cluster authority; null: present <see cref="Identity"/>.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>This silo's RA-TLS identity, used when <see cref="Certificate"/> is null.</summary>
    public RaTlsIdentity? Identity { get; set; }

    /// <summary>Roots that issue the certificates of non-attested (core) silos. Empty: every peer must be attested.</summary>
    public X509Certificate2Collection ClusterAuthorities { get; set; } = [];

    /// <summary>Judges RA-TLS peers; null: RA-TLS peers are refused (only cluster-authority certificates are accepted).</summary>
    public RaTlsVerifier? Attestation { get; set; }

    public GatewayTlsMode Gateway { get; set; } = GatewayTlsMode.Off;

    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The certificate this silo presents now.</summary>
    public X509Certificate2 LocalCertificate() =>
        Certificate ?? Identity?.Current ?? throw new InvalidOperationException("Silo TLS needs a certificate or an RA-TLS identity.");
}
