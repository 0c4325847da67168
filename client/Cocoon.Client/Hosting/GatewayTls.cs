using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Cocoon.Client;

/// <summary>
/// TLS to the client gateway: the client authenticates the gateway (against the given authorities, else the system's
/// roots) and presents no certificate and no quote; the account's signature authenticates its requests.
/// </summary>
public static class GatewayTls
{
    /// <summary>For an Orleans client builder: <c>client.UseTls(GatewayTls.Options(caPath))</c>.</summary>
    public static Action<TlsOptions> Options(string? caPath) => tls =>
    {
        tls.ClientCertificateMode = RemoteCertificateMode.NoCertificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        if (caPath is null) return; // default validation: a chain to a system root, and no errors
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new Cocoon.Errors.CocoonException("gateway_tls", $"The gateway CA file '{caPath}' cannot be read: {e.Message}");
        }
        tls.RemoteCertificateValidation = (certificate, _, errors) =>
        {
            // Names are not checked: gateways are addressed by IP; the private authority is what is trusted.
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
    };
}
