using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Cocoon.Grains.ClusterTls;

public static class SiloTlsExtensions
{
    /// <summary>
    /// Mutual TLS on silo-to-silo connections (both directions), validated by <see cref="SiloPeerValidator"/>; the client
    /// gateway gets server-only TLS or none (<see cref="SiloTlsOptions.Gateway"/>). Orleans' own <c>UseTls</c> applies
    /// one option set to silo and gateway connections alike, which would ask every client for a quote.
    /// </summary>
    public static ISiloBuilder UseCocoonTls(this ISiloBuilder silo, SiloTlsOptions options)
    {
        _ = options.LocalCertificate(); // fail at start, not at the first connection
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(builder => builder.UseServerTls(SiloTls(options, builder.ApplicationServices, server: true)));
            connections.ConfigureSiloOutboundConnection(builder => builder.UseClientTls(SiloTls(options, builder.ApplicationServices, server: false)));
            if (options.Gateway == GatewayTlsMode.Server)
            {
                connections.ConfigureGatewayInboundConnection(builder => builder.UseServerTls(new TlsOptions
                {
                    LocalServerCertificateSelector = (_, _) => options.LocalCertificate(),
                    RemoteCertificateMode = RemoteCertificateMode.NoCertificate,
                    HandshakeTimeout = options.HandshakeTimeout,
                }));
            }
        });
        return silo;
    }

    private static TlsOptions SiloTls(SiloTlsOptions options, IServiceProvider services, bool server)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Cocoon.ClusterTls") ?? NullLogger.Instance;
        var validator = new SiloPeerValidator(options, logger);
        var tls = new TlsOptions
        {
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = validator.Validate,
            HandshakeTimeout = options.HandshakeTimeout,
        };
        if (server)
        {
            // A selector, not a fixed certificate: an RA-TLS identity re-issues its certificate while the silo runs.
            tls.LocalServerCertificateSelector = (_, _) => options.LocalCertificate();
        }
        else
        {
            // Always offer it: an RA-TLS certificate is self-signed, so it matches no issuer the server lists as acceptable.
            tls.OnAuthenticateAsClient = (_, client) =>
            {
                client.ClientCertificates = null;
                client.LocalCertificateSelectionCallback = (_, _, _, _, _) => options.LocalCertificate();
            };
        }
        return tls;
    }
}
