using System.Net;
using Cocoon.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cocoon.Cli.Serve;

/// <summary>
/// The OpenAI-compatible HTTP endpoint over an <see cref="ICocoonClient"/>: <c>/v1/chat/completions</c>,
/// <c>/v1/completions</c>, <c>/v1/models</c>. Without API keys it only listens on loopback and bills the client's
/// account; with keys every call needs <c>Authorization: Bearer KEY</c> and bills the key's account.
/// </summary>
public static class OpenAiServer
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    internal const string AccountItem = "cocoon.account";

    public static WebApplication Build(ICocoonClient client, string urls, ApiKeys? keys = null, Action<ILoggingBuilder>? logging = null)
    {
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0) throw new FormatException("--urls is empty: give at least one http://HOST:PORT.");
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != "http")
                throw new FormatException($"--urls '{address}' is not an http://HOST:PORT address.");
            // Without keys anyone who can reach the port spends the dev account's money: keep it on this machine.
            if (keys is null && !IsLoopback(uri.Host))
                throw new FormatException($"--urls '{address}' is not a loopback address: listening beyond this machine needs --api-keys FILE.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(addresses);
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(client);
        var app = builder.Build();

        if (keys is not null)
        {
            app.Use(async (http, next) =>
            {
                if (!http.Request.Path.StartsWithSegments("/v1")) { await next(http); return; }
                var header = http.Request.Headers.Authorization.ToString();
                var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
                var account = key.Length > 0 ? keys.AccountFor(key) : null;
                if (account is null)
                {
                    var message = key.Length == 0
                        ? "You didn't provide an API key: send it as 'Authorization: Bearer KEY'."
                        : "Incorrect API key provided.";
                    await OpenAiEndpoints.WriteError(http, new OpenAiError(401, message, null, "invalid_api_key"));
                    return;
                }
                http.Items[AccountItem] = account;
                await next(http);
            });
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        OpenAiEndpoints.Map(app);
        return app;
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
