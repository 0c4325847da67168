using Cocoon.Cli.Serve;
using Cocoon.Client.Tests.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cocoon.Client.Tests.Serve;

/// <summary>The OpenAI-compatible endpoint started in-process on a free loopback port, over a connected client.</summary>
public sealed class ServeEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeEndpoint(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public Uri V1 => new(BaseUrl + "/v1");

    public static async Task<ServeEndpoint> StartAsync(ICocoonClient client, ApiKeys? keys = null)
    {
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var app = OpenAiServer.Build(client, url, keys);
        await app.StartAsync();
        return new ServeEndpoint(app, url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
