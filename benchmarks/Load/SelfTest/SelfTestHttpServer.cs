using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cocoon.Benchmarks.Load.SelfTest;

/// <summary>
/// A Kestrel server on 127.0.0.1 (a free port) that answers <c>GET /delay?ms=N&amp;bytes=M</c> after N ms with M
/// bytes: a target with a known service time, to check the harness end to end over real HTTP.
/// </summary>
internal sealed class SelfTestHttpServer : IAsyncDisposable
{
    private const int MaxDelayMs = 60_000;
    private const int MaxBytes = 16 * 1024 * 1024;
    private WebApplication? _app;

    /// <summary>Starts listening and returns the base address, e.g. http://127.0.0.1:41234/.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The self-test server is already running.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/delay", HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task HandleAsync(HttpContext context)
    {
        if (!TryQuery(context, "ms", MaxDelayMs, out var delayMs) || !TryQuery(context, "bytes", MaxBytes, out var bytes))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"ms must be 0..{MaxDelayMs} and bytes 0..{MaxBytes}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (delayMs > 0)
        {
            await Task.Delay(delayMs, context.RequestAborted).ConfigureAwait(false);
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes;
        await context.Response.Body.WriteAsync(new byte[bytes], context.RequestAborted).ConfigureAwait(false);
    }

    private static bool TryQuery(HttpContext context, string name, int max, out int value)
    {
        value = 0;
        var text = context.Request.Query[name].ToString();
        return text.Length == 0
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max);
    }
}
