using System.Net;
using System.Text.Json;
using Cocoon.Hosting;

namespace Cocoon.Client;

/// <summary>The connection a client actually uses, once options, the data directory and defaults are merged.</summary>
public sealed record CocoonConnection(
    string Home,
    IReadOnlyList<IPEndPoint> Gateways,
    string ClusterId,
    string ServiceId,
    string? AccountId)
{
    /// <summary>The keys this client signs with, by account id; the default account's key among them.</summary>
    public IReadOnlyDictionary<string, Security.AccountKey> Keys { get; init; } = new Dictionary<string, Security.AccountKey>();

    public string GatewayList => string.Join(", ", Gateways.Select(g => g.ToString()));

    /// <summary>Merges <paramref name="options"/> with the data directory's endpoints and dev account, then the defaults.</summary>
    public static CocoonConnection Resolve(CocoonClientOptions options)
    {
        var home = CocoonHome.Resolve(options.Home);
        var running = RunningSilo.Read(home);
        IReadOnlyList<IPEndPoint> gateways = options.Gateways.Count > 0
            ? options.Gateways.Select(GatewayAddress.Parse).ToArray()
            : [running?.GatewayPort is int port and > 0 and <= 65535 ? new IPEndPoint(IPAddress.Loopback, port) : GatewayAddress.Parse(CocoonClientOptions.DefaultGateway)];
        var key = options.AccountKey
            ?? (options.AccountKeyFile is { } keyFile ? Security.AccountKey.Load(keyFile) : null)
            ?? (File.Exists(CocoonHome.DevAccountKeyFile(home)) ? Security.AccountKey.Load(CocoonHome.DevAccountKeyFile(home)) : null);
        var keys = new Dictionary<string, Security.AccountKey>(StringComparer.Ordinal);
        foreach (var k in options.AccountKeys) keys.TryAdd(k.AccountId, k);
        if (key is not null) keys.TryAdd(key.AccountId, key);
        var account = string.IsNullOrWhiteSpace(options.AccountId) ? key?.AccountId : options.AccountId.Trim();
        return new CocoonConnection(
            home,
            gateways,
            options.ClusterId ?? running?.ClusterId ?? CocoonClientOptions.DefaultClusterId,
            options.ServiceId ?? running?.ServiceId ?? CocoonClientOptions.DefaultServiceId,
            account) { Keys = keys };
    }

    /// <summary>The subset of <c>endpoints.json</c> a client needs. A missing or unreadable file means no local silo.</summary>
    private sealed record RunningSilo(string? ClusterId, string? ServiceId, int? GatewayPort)
    {
        private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

        public static RunningSilo? Read(string home)
        {
            var file = CocoonHome.EndpointsFile(home);
            if (!File.Exists(file)) return null;
            try
            {
                return JsonSerializer.Deserialize<RunningSilo>(File.ReadAllText(file), Json);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                // A half-written or foreign file must not stop the client: fall back to the defaults.
                return null;
            }
        }
    }
}
