using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.RaTls;
using Cocoon.Confidential.Simulation;
using Cocoon.Grains.ClusterTls;

namespace Cocoon.Silo.Hosting;

/// <summary>Turns <c>Cocoon:Tls</c> and <c>Cocoon:Confidential</c> into the silo's TLS options, refusing what a profile must not run.</summary>
public static class ClusterTlsHosting
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Every problem with the TLS and attestation settings, each naming the setting to fix.</summary>
    public static IReadOnlyList<string> Validate(TlsSettings tls, ConfidentialSettings confidential, bool isDev)
    {
        var errors = new List<string>();
        if (tls.Mode is not ("off" or "mutual")) errors.Add($"Cocoon:Tls:Mode '{tls.Mode}' is unknown: use off or mutual.");
        if (tls.Gateway is not ("off" or "server")) errors.Add($"Cocoon:Tls:Gateway '{tls.Gateway}' is unknown: use off or server.");
        if (tls.Gateway == "server" && tls.Mode != "mutual") errors.Add("Cocoon:Tls:Gateway=server needs Cocoon:Tls:Mode=mutual (the gateway uses the silo's certificate).");
        if (tls.Identity is not (null or "attested" or "certificate")) errors.Add($"Cocoon:Tls:Identity '{tls.Identity}' is unknown: use attested or certificate.");
        if (tls.Tee is not (null or "tdx" or "simulated")) errors.Add($"Cocoon:Tls:Tee '{tls.Tee}' is unknown: use tdx or simulated.");
        if (tls.HandshakeTimeoutSeconds <= 0) errors.Add("Cocoon:Tls:HandshakeTimeoutSeconds must be positive.");
        if (tls.Mode == "mutual")
        {
            if (IdentityOf(tls) == "certificate")
            {
                if (string.IsNullOrWhiteSpace(tls.CertificatePath) || string.IsNullOrWhiteSpace(tls.KeyPath))
                    errors.Add("Cocoon:Tls:Identity=certificate needs Cocoon:Tls:CertificatePath and Cocoon:Tls:KeyPath (PEM).");
            }
            else if (TeeOf(tls, isDev) == "simulated" && !isDev)
            {
                errors.Add("Cocoon:Tls: the production profile refuses simulated evidence: a simulated quote proves nothing. Run in a TD (Cocoon:Tls:Tee=tdx) or use Cocoon:Tls:Identity=certificate.");
            }
        }
        if (!isDev && confidential.PolicyPath is { } path && File.Exists(path))
        {
            try
            {
                if (AttestationPolicy.Load(path).AllowSimulated)
                    errors.Add($"Cocoon:Confidential:PolicyPath '{path}' allows simulated evidence, which the production profile refuses.");
            }
            catch (FormatException e)
            {
                errors.Add($"Cocoon:Confidential:PolicyPath '{path}': {e.Message}");
            }
        }
        return errors;
    }

    /// <summary>The silo's TLS options, or null when silo TLS is off.</summary>
    /// <exception cref="ClusterTlsConfigurationException">A file cannot be read, or a setting cannot be honoured.</exception>
    public static SiloTlsOptions? Create(TlsSettings tls, ConfidentialSettings confidential, bool isDev, string home, string siloName, TimeProvider time)
    {
        if (tls.Mode != "mutual") return null;
        try
        {
            var options = new SiloTlsOptions
            {
                Gateway = tls.Gateway == "server" ? GatewayTlsMode.Server : GatewayTlsMode.Off,
                HandshakeTimeout = TimeSpan.FromSeconds(tls.HandshakeTimeoutSeconds),
            };
            if (tls.ClusterCaPath is { } caPath)
            {
                options.ClusterAuthorities.ImportFromPemFile(caPath);
                if (options.ClusterAuthorities.Count == 0) throw new ClusterTlsConfigurationException($"Cocoon:Tls:ClusterCaPath '{caPath}' holds no certificate.");
            }
            DevCertificateAuthority? devCa = isDev ? DevCertificateAuthority.LoadOrCreate(DevCertificateAuthority.ResolveFolder(confidential.DevCaPath, home), time) : null;
            if (IdentityOf(tls) == "certificate")
                options.Certificate = LoadCertificate(tls.CertificatePath!, tls.KeyPath!);
            else
            {
                IQuoteSource tee = TeeOf(tls, isDev) == "tdx" ? new ConfigFsTsmQuoteSource() : new SimulatedTee(devCa!, time: time);
                // Certificates live a day and are re-issued hourly, as COCOON's do.
                options.Identity = new RaTlsIdentity(tee, siloName, time, TimeSpan.FromHours(1), TimeSpan.FromDays(1));
                _ = options.Identity.Current; // a TEE that cannot quote fails the start, not the first connection
            }
            var policy = confidential.PolicyPath is { } policyPath ? AttestationPolicy.Load(policyPath)
                : isDev ? AttestationPolicy.Development : AttestationPolicy.Default;
            var anchors = devCa is not null && policy.AllowSimulated ? devCa.CreateTrustAnchors() : TrustAnchors.IntelOnly;
            var collateral = CollateralSource.Create(confidential.CollateralPath, confidential.PcsUrl, confidential.PcsRootCrlUrl,
                confidential.CollateralCachePath ?? Path.Combine(home, "collateral"), time: time);
            options.Attestation = new RaTlsVerifier(new QuoteVerifier(anchors), policy, collateral is null ? null : new LocalCollateral(collateral, time), time);
            return options;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or FormatException
            or CollateralFormatException or DevCertificateAuthorityException or TeeUnavailableException or UriFormatException)
        {
            throw new ClusterTlsConfigurationException($"Silo TLS cannot start: {e.Message}", e);
        }
    }

    private static string IdentityOf(TlsSettings tls) => tls.Identity ?? (string.IsNullOrWhiteSpace(tls.CertificatePath) ? "attested" : "certificate");

    private static string TeeOf(TlsSettings tls, bool isDev) =>
        tls.Tee ?? (ConfigFsTsmQuoteSource.IsAvailable() || !isDev ? "tdx" : "simulated");

    private static X509Certificate2 LoadCertificate(string certificatePath, string keyPath)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & GroupOrOther) != 0)
            throw new ClusterTlsConfigurationException($"Refusing Cocoon:Tls:KeyPath '{keyPath}': it is readable or writable by group or others (run: chmod 600 '{keyPath}').");
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Re-imported so the key is usable by TLS on every platform (ephemeral PEM keys are not, on Windows).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>The silo's TLS settings cannot be honoured; the message says which and why.</summary>
public sealed class ClusterTlsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
