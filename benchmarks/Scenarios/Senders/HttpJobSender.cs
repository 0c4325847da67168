using System.Net.Http.Json;
using System.Text.Json;
using Cocoon.Cli.Serve;
using Cocoon.Client;
using Cocoon.Testing.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary>
/// <c>--target http</c>: the job as a non-streaming <c>POST /v1/chat/completions</c> to the OpenAI-compatible endpoint.
/// <see cref="StartAsync"/> hosts that endpoint in this process on a free loopback port over the scenario's client, as
/// <c>cocoon serve</c> does, so the HTTP layer is the only difference from <c>--target client</c>.
/// </summary>
internal sealed class HttpJobSender : IJobSender
{
    private readonly HttpClient _http;
    private readonly WebApplication? _endpoint;

    /// <summary>Sends to <paramref name="http"/>'s base address; <paramref name="endpoint"/>, when given, is stopped on dispose.</summary>
    internal HttpJobSender(HttpClient http, WebApplication? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _endpoint = endpoint;
    }

    public string StepName => "cocoon-http";

    /// <summary>Where requests go.</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>Hosts the endpoint over <paramref name="client"/> and returns a sender posting to it.</summary>
    public static async Task<HttpJobSender> StartAsync(ICocoonClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var endpoint = OpenAiServer.Build(client, url);
        try
        {
            await endpoint.StartAsync(cancellationToken);
        }
        catch
        {
            await endpoint.DisposeAsync();
            throw;
        }

        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(url + "/"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        return new HttpJobSender(http, endpoint);
    }

    public async Task<SentJob> SendAsync(string model, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var body = new
        {
            model,
            messages = new[] { new { role = "user", content = prompt } },
            max_tokens = maxTokens,
            temperature = 0,
            stream = false,
        };
        using var response = await _http.PostAsJsonAsync("v1/chat/completions", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new JobSendException(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var content = root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? "";
            var tokens = root.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
            return new SentJob(content, tokens, NodeId: null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new JobSendException("bad-body", $"The endpoint answered {(int)response.StatusCode} without a chat completion: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
    }
}
