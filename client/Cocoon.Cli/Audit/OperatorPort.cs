using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Hosting;

namespace Cocoon.Cli.Audit;

/// <summary>
/// The silo's operator HTTP port (loopback): where operator commands read and answer what only the silo may touch
/// (ledger reads without a signature, suspense items). Internal grain calls are refused to clients.
/// </summary>
internal static class OperatorPort
{
    /// <summary>
    /// Sends one request to the silo at <paramref name="silo"/>, else the running silo's port from the data directory,
    /// and returns its JSON answer; on failure, says why and returns the exit code (2: refused as asked, 1: conflict,
    /// 5: no silo answered).
    /// </summary>
    public static async Task<(int ExitCode, JsonNode? Body)> SendAsync(CliIO io, string? silo, string? home,
        Func<HttpClient, string, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var baseUrl = silo ?? LocalSilo(CocoonHome.Resolve(home));
        if (baseUrl is null)
        {
            await io.Error.WriteLineAsync("error: no running silo found in the data directory: pass --silo http://HOST:PORT (its operator HTTP port).");
            return (ExitCodes.ClusterUnreachable, null);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await send(http, baseUrl.TrimEnd('/'), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
            if (response.IsSuccessStatusCode) return (ExitCodes.Success, body);
            await io.Error.WriteLineAsync($"error: {(string?)body?["error"] ?? response.ReasonPhrase}");
            return (response.StatusCode == HttpStatusCode.Conflict ? ExitCodes.Error : ExitCodes.Usage, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            await io.Error.WriteLineAsync($"error: the silo at {baseUrl} did not answer ({e.Message}).");
            return (ExitCodes.ClusterUnreachable, null);
        }
    }

    /// <summary>The operator port of the silo running on this machine, from the data directory's endpoints file; null without one.</summary>
    public static string? LocalSilo(string home)
    {
        var file = CocoonHome.EndpointsFile(home);
        if (!File.Exists(file)) return null;
        try
        {
            var port = JsonNode.Parse(File.ReadAllText(file))?["httpPort"]?.GetValue<int>();
            return port is > 0 ? $"http://127.0.0.1:{port}" : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
