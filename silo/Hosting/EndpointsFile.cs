using System.Text.Json;
using Cocoon.Hosting;
using Microsoft.Extensions.Options;

namespace Cocoon.Silo.Hosting;

/// <summary>Writes the running silo's endpoints to the data directory so the CLI finds the gateway without flags.</summary>
public sealed class EndpointsFile(IOptions<SiloSettings> settings, ILogger<EndpointsFile> logger, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var home = CocoonHome.Resolve(s.Home);
        var json = JsonSerializer.Serialize(new
        {
            clusterId = s.ClusterId,
            serviceId = s.ServiceId,
            gatewayPort = s.GatewayPort,
            httpPort = s.HttpPort,
            siloPort = s.SiloPort,
            pid = Environment.ProcessId,
        });
        await File.WriteAllTextAsync(CocoonHome.EndpointsFile(home), json, cancellationToken);
        lifetime.ApplicationStarted.Register(() =>
        {
            Console.WriteLine($"""
                Cocoon silo ({s.Roles}, profile {s.Profile}) is running.
                  client gateway   127.0.0.1:{s.GatewayPort}   (cluster '{s.ClusterId}')
                  silo-to-silo     127.0.0.1:{s.SiloPort}
                  dashboard        http://127.0.0.1:{s.HttpPort}/dashboard
                  health           http://127.0.0.1:{s.HttpPort}/healthz   http://127.0.0.1:{s.HttpPort}/readyz
                  metrics          http://127.0.0.1:{s.HttpPort}/metrics
                  data directory   {home}
                Try: dotnet run --project client/Cocoon.Cli -- run --model echo --prompt "hello" --json
                """);
        });
        logger.LogDebug("Endpoints written to {File}", CocoonHome.EndpointsFile(home));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
