using System.Globalization;
using System.Text;
using System.Text.Json;
using Cocoon.Ton.Toncenter;

namespace Cocoon.Ton.DevChain;

/// <summary>
/// The dev chain's test hooks under <c>/dev/</c>: the faucet, the chain clock, delayed inclusion of externals, and
/// snapshots. Only the dev chain has them; real toncenter does not.
/// </summary>
public sealed class DevChainHooks : IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly Uri baseUrl;

    /// <param name="baseUrl">The dev chain's root, such as <c>http://127.0.0.1:8090/</c>.</param>
    /// <param name="httpClient">A caller-owned client; one is created (and disposed here) when null.</param>
    public DevChainHooks(Uri baseUrl, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        this.baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// Sends <paramref name="amount"/> nanoTON from the faucet to <paramref name="address"/> in a real on-chain transfer,
    /// with an optional text comment; non-bounceable by default so that it can fund an undeployed wallet.
    /// </summary>
    public async Task<FundResult> FundAsync(string address, long amount, string? comment = null, bool bounce = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var body = new Dictionary<string, object?>
        {
            ["address"] = address,
            ["amount"] = amount.ToString(CultureInfo.InvariantCulture),
            ["bounce"] = bounce,
        };
        if (comment is not null)
        {
            body["comment"] = comment;
        }

        var r = await CallAsync(HttpMethod.Post, "fund", body, cancellationToken).ConfigureAwait(false);
        return Read("fund", () => new FundResult(
            r.GetProperty("address").GetString()!,
            long.Parse(r.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture),
            OptionalTransactionId(r, "transaction_id"),
            OptionalTransactionId(r, "faucet_transaction_id"),
            r.GetProperty("seqno").GetUInt32()));
    }

    public async Task<FaucetInfo> GetFaucetAsync(CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(HttpMethod.Get, "faucet", null, cancellationToken).ConfigureAwait(false);
        return Read("faucet", () => new FaucetInfo(
            r.GetProperty("address").GetString()!,
            long.Parse(r.GetProperty("balance").GetString()!, CultureInfo.InvariantCulture)));
    }

    public async Task<DevChainTime> GetTimeAsync(CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(HttpMethod.Get, "time", null, cancellationToken).ConfigureAwait(false);
        return ReadTime(r);
    }

    /// <summary>
    /// Sets the chain clock. It then runs on with the wall clock, or stays put when <paramref name="frozen"/>.
    /// The clock never goes back before the last transaction's time.
    /// </summary>
    public async Task<DevChainTime> SetTimeAsync(long unixTime, bool frozen = false, CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(HttpMethod.Post, "time", new Dictionary<string, object?> { ["unixtime"] = unixTime, ["frozen"] = frozen }, cancellationToken).ConfigureAwait(false);
        return ReadTime(r);
    }

    /// <summary>Moves the chain clock forward (to pass a wallet's valid_until, or a payout timeout).</summary>
    public async Task<DevChainTime> AdvanceTimeAsync(TimeSpan by, bool frozen = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        var body = new Dictionary<string, object?> { ["advance"] = (long)by.TotalSeconds, ["frozen"] = frozen };
        var r = await CallAsync(HttpMethod.Post, "time", body, cancellationToken).ConfigureAwait(false);
        return ReadTime(r);
    }

    /// <summary>When on, accepted externals wait in a queue until <see cref="IncludeAsync"/> (a node that is slow to include).</summary>
    public async Task SetDelayedInclusionAsync(bool enabled, CancellationToken cancellationToken = default) =>
        await CallAsync(HttpMethod.Post, "delayed-inclusion", new Dictionary<string, object?> { ["enabled"] = enabled }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PendingMessage>> GetPendingAsync(CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(HttpMethod.Get, "pending", null, cancellationToken).ConfigureAwait(false);
        return Read("pending", () => r.GetProperty("messages").EnumerateArray()
            .Select(m => new PendingMessage(
                m.GetProperty("hash").GetString()!,
                m.TryGetProperty("hash_norm", out var n) ? n.GetString() : null,
                m.GetProperty("destination").GetString()!,
                m.GetProperty("queued_at").GetInt64()))
            .ToList());
    }

    /// <summary>Executes every queued external in arrival order and commits a block.</summary>
    public async Task<IReadOnlyList<IncludedMessage>> IncludeAsync(CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(HttpMethod.Post, "include", null, cancellationToken).ConfigureAwait(false);
        return Read("include", () => r.GetProperty("messages").EnumerateArray()
            .Select(m => new IncludedMessage(
                m.GetProperty("hash").GetString()!,
                m.GetProperty("included").GetBoolean(),
                OptionalTransactionId(m, "transaction_id"),
                m.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null))
            .ToList());
    }

    /// <summary>Writes the chain's state to its data directory now (it also does so after every change).</summary>
    public async Task SnapshotAsync(CancellationToken cancellationToken = default) =>
        await CallAsync(HttpMethod.Post, "snapshot", null, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private static TransactionId? OptionalTransactionId(JsonElement element, string name) =>
        element.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.Object ? ToncenterJson.ParseTransactionId(id) : null;

    private static DevChainTime ReadTime(JsonElement r) => Read("time", () => new DevChainTime(
        r.GetProperty("unixtime").GetInt64(),
        r.GetProperty("frozen").GetBoolean(),
        r.GetProperty("last_block_utime").GetInt64()));

    private static T Read<T>(string hook, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new DevChainException($"dev chain /dev/{hook} answered in an unexpected shape: {e.Message}", innerException: e);
        }
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, string hook, Dictionary<string, object?>? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, "dev/" + hook));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        string text;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DevChainException($"dev chain at {baseUrl} is not reachable: {e.Message}", innerException: e);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DevChainException($"dev chain /dev/{hook} answered with {text}");
            }

            if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return root.GetProperty("result").Clone();
            }

            var error = root.TryGetProperty("error", out var e) ? e.GetString() : text;
            int? code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : null;
            throw new DevChainException($"dev chain /dev/{hook} failed: {error}", code);
        }
        catch (JsonException e)
        {
            throw new DevChainException($"dev chain /dev/{hook} answered with non-JSON: {text}", innerException: e);
        }
    }
}
