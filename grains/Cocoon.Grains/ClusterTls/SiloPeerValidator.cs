using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.RaTls;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.ClusterTls;

/// <summary>
/// Decides whether a silo on the other end of a TLS connection may talk to this one: an RA-TLS certificate must carry a
/// quote the policy accepts; any other certificate must chain to a cluster authority. Synchronous, as TLS requires.
/// </summary>
public sealed partial class SiloPeerValidator(SiloTlsOptions options, ILogger logger)
{
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        RaTlsEvidence? evidence;
        try
        {
            evidence = RaTlsEvidence.FromCertificate(certificate);
        }
        catch (RaTlsException e)
        {
            LogRefused(logger, certificate.Subject, e.Message);
            return false;
        }
        if (evidence is not null)
        {
            if (options.Attestation is null)
            {
                LogRefused(logger, certificate.Subject, "RA-TLS peers are not admitted by this silo (no attestation policy)");
                return false;
            }
            var result = options.Attestation.Verify(certificate);
            if (!result.Verified)
            {
                LogRefused(logger, certificate.Subject, result.FailureReason!);
                return false;
            }
            return true;
        }
        if (ChainsToClusterAuthority(certificate))
        {
            return true;
        }
        LogRefused(logger, certificate.Subject, "neither RA-TLS evidence nor a chain to a cluster authority");
        return false;
    }

    private bool ChainsToClusterAuthority(X509Certificate2 certificate)
    {
        if (options.ClusterAuthorities.Count == 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(options.ClusterAuthorities);
        // Cluster authorities are the operator's private CA: it publishes no CRL; rotation is by re-issuing.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused silo connection from '{Subject}': {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string reason);
}
