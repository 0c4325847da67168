namespace Cocoon.Silo.Hosting;

/// <summary>Transport security between silos and at the client gateway (section <c>Cocoon:Tls</c>; docs/operations.md, "TLS").</summary>
public sealed class TlsSettings
{
    /// <summary><c>off</c> (default: the single-machine dev network) or <c>mutual</c>: silo-to-silo mutual TLS.</summary>
    public string Mode { get; set; } = "off";

    /// <summary>
    /// What this silo presents: <c>attested</c> (an RA-TLS certificate carrying its quote; worker silos) or
    /// <c>certificate</c> (<see cref="CertificatePath"/>, issued by a cluster authority; core silos). Unset:
    /// <c>certificate</c> when a certificate path is set, else <c>attested</c>.
    /// </summary>
    public string? Identity { get; set; }

    /// <summary>For <c>attested</c>: <c>tdx</c> (configfs-tsm inside a TD) or <c>simulated</c> (dev CA; dev profile only). Unset: tdx when available, else simulated in dev.</summary>
    public string? Tee { get; set; }

    /// <summary>PEM certificate (chain) of this silo, for <c>certificate</c> identity.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM (PKCS#8 or EC/RSA) private key of <see cref="CertificatePath"/>; mode 0600.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PEM bundle of the authorities that issue non-attested silos' certificates; unset: every peer must be attested.</summary>
    public string? ClusterCaPath { get; set; }

    /// <summary><c>off</c> (default) or <c>server</c>: TLS on the client gateway with this silo's certificate; clients present none.</summary>
    public string Gateway { get; set; } = "off";

    public int HandshakeTimeoutSeconds { get; set; } = 10;
}
