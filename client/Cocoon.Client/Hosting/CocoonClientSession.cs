using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cocoon.Client;

/// <summary>
/// A connected client outside any application host (command-line tools, scripts): builds a minimal host with
/// <see cref="CocoonClientServiceCollectionExtensions.AddCocoonClient"/>, connects, and disconnects on dispose.
/// </summary>
public sealed class CocoonClientSession : IAsyncDisposable
{
    private readonly IHost _host;

    private CocoonClientSession(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<ICocoonClient>();
    }

    public ICocoonClient Client { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Connects to the network; raises <see cref="ClusterUnreachableException"/> when no gateway answers.</summary>
    public static async Task<CocoonClientSession> ConnectAsync(
        Action<CocoonClientOptions>? configure = null, Action<IServiceCollection>? services = null, CancellationToken cancellationToken = default)
    {
        // No default configuration sources or log providers: a tool's output stays its own.
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddCocoonClient(configure);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        var connection = host.Services.GetRequiredService<CocoonConnection>();
        var timeout = host.Services.GetRequiredService<IOptions<CocoonClientOptions>>().Value.ConnectTimeout;
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        try
        {
            // Orleans keeps retrying a refused gateway for minutes; a plain TCP probe says at once that nothing listens.
            await GatewayProbe.RequireListening(connection, connect.Token);
            await host.StartAsync(connect.Token);
        }
        catch (ClusterUnreachableException)
        {
            await DisposeQuietly(host);
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(host);
            var detail = e is OperationCanceledException ? $"no connection within {timeout.TotalSeconds:0.#} s" : Innermost(e).Message;
            throw new ClusterUnreachableException(connection.GatewayList, detail);
        }
        catch
        {
            await DisposeQuietly(host);
            throw;
        }
        return new CocoonClientSession(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _host.StopAsync(stop.Token); }
        catch (Exception e) when (e is OperationCanceledException or Orleans.Runtime.OrleansException) { /* the silo may be gone: nothing left to tell it */ }
        _host.Dispose();
    }

    private static async Task DisposeQuietly(IHost host)
    {
        if (host is IAsyncDisposable d) await d.DisposeAsync();
        else host.Dispose();
    }

    private static Exception Innermost(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        return e;
    }
}
