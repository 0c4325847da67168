using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Cocoon.Ton.Toncenter;

/// <summary>
/// A client for the toncenter v2 HTTP API (toncenter.com, testnet.toncenter.com, or the local dev chain). Retries
/// rate limits, server errors, timeouts and network failures with exponential back-off and full jitter, a bounded
/// number of times; every other failure is a <see cref="ToncenterException"/> at once.
/// </summary>
public sealed class ToncenterClient : IDisposable
{
    private const int MaxErrorSnippet = 300;

    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ToncenterOptions options;
    private readonly TimeProvider time;

    /// <summary>Creates a client with its own <see cref="HttpClient"/> over <paramref name="handler"/> (or the default handler).</summary>
    public ToncenterClient(ToncenterOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
        : this(new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true), options, timeProvider)
    {
        ownsHttp = true;

        // Each attempt has its own deadline from the options; HttpClient's global one would cut retries short.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Creates a client over a caller-owned <see cref="HttpClient"/> (from IHttpClientFactory, say); it is not disposed here.</summary>
    public ToncenterClient(HttpClient httpClient, ToncenterOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        http = httpClient;
        this.options = options;
        time = timeProvider ?? TimeProvider.System;
    }

    public Uri BaseUrl => options.BaseUrl;

    public async Task<AddressInformation> GetAddressInformationAsync(string address, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync("getAddressInformation", [("address", RequireAddress(address))], cancellationToken).ConfigureAwait(false);
        return Parse("getAddressInformation", result, ToncenterJson.ParseAddressInformation);
    }

    public async Task<WalletInformation> GetWalletInformationAsync(string address, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync("getWalletInformation", [("address", RequireAddress(address))], cancellationToken).ConfigureAwait(false);
        return Parse("getWalletInformation", result, ToncenterJson.ParseWalletInformation);
    }

    /// <summary>
    /// Transactions of <paramref name="address"/>, newest first. With <paramref name="lt"/> and <paramref name="hash"/>
    /// the page starts at that transaction, inclusive (toncenter's cursor); <paramref name="toLt"/> stops before
    /// transactions with lt at or below it.
    /// </summary>
    public async Task<IReadOnlyList<ToncenterTransaction>> GetTransactionsAsync(
        string address,
        int limit = 10,
        ulong? lt = null,
        string? hash = null,
        ulong? toLt = null,
        bool archival = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (hash is not null && lt is null)
        {
            throw new ArgumentException("A transaction hash needs its lt as well.", nameof(hash));
        }

        var query = new List<(string, string)> { ("address", RequireAddress(address)), ("limit", limit.ToString(CultureInfo.InvariantCulture)) };
        if (lt is { } l)
        {
            query.Add(("lt", l.ToString(CultureInfo.InvariantCulture)));
        }

        if (hash is not null)
        {
            query.Add(("hash", hash));
        }

        if (toLt is { } t)
        {
            query.Add(("to_lt", t.ToString(CultureInfo.InvariantCulture)));
        }

        if (archival)
        {
            query.Add(("archival", "true"));
        }

        var result = await GetAsync("getTransactions", query, cancellationToken).ConfigureAwait(false);
        return Parse("getTransactions", result, ToncenterJson.ParseTransactions);
    }

    /// <summary>Runs a get method by name (or numeric id as text) with the given stack.</summary>
    public async Task<GetMethodResult> RunGetMethodAsync(string address, string method, IReadOnlyList<TvmStackEntry>? stack = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var body = new Dictionary<string, object>
        {
            ["address"] = RequireAddress(address),
            ["method"] = method,
            ["stack"] = (stack ?? []).Select(ToRequestStackEntry).ToArray(),
        };
        var result = await PostAsync("runGetMethod", body, cancellationToken).ConfigureAwait(false);
        return Parse("runGetMethod", result, ToncenterJson.ParseGetMethodResult);
    }

    /// <summary>Sends a serialized external message (BOC) and returns its hash.</summary>
    public Task<SentMessage> SendBocReturnHashAsync(ReadOnlyMemory<byte> boc, CancellationToken cancellationToken = default)
    {
        if (boc.IsEmpty)
        {
            throw new ArgumentException("The BOC is empty.", nameof(boc));
        }

        return SendBocReturnHashAsync(Convert.ToBase64String(boc.Span), cancellationToken);
    }

    /// <summary>Sends a serialized external message given as base64 and returns its hash.</summary>
    public async Task<SentMessage> SendBocReturnHashAsync(string bocBase64, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bocBase64);
        var result = await PostAsync("sendBocReturnHash", new Dictionary<string, object> { ["boc"] = bocBase64 }, cancellationToken).ConfigureAwait(false);
        return Parse("sendBocReturnHash", result, ToncenterJson.ParseSentMessage);
    }

    public async Task<MasterchainInfo> GetMasterchainInfoAsync(CancellationToken cancellationToken = default)
    {
        var result = await GetAsync("getMasterchainInfo", [], cancellationToken).ConfigureAwait(false);
        return Parse("getMasterchainInfo", result, ToncenterJson.ParseMasterchainInfo);
    }

    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private static string RequireAddress(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return address;
    }

    // toncenter reads "num" values as JSON numbers or as decimal / 0x-hex strings; hex keeps big values exact.
    private static object[] ToRequestStackEntry(TvmStackEntry entry) => entry switch
    {
        TvmStackNumber n => ["num", n.Value.Sign < 0 ? "-0x" + BigInteger.Negate(n.Value).ToString("x", CultureInfo.InvariantCulture) : "0x" + n.Value.ToString("x", CultureInfo.InvariantCulture)],
        TvmStackCell c => ["tvm.Cell", c.Boc],
        TvmStackSlice s => ["tvm.Slice", s.Boc],
        _ => throw new ArgumentException($"A {entry.GetType().Name} cannot be passed to runGetMethod: use numbers, cells or slices.", nameof(entry)),
    };

    private static T Parse<T>(string method, JsonElement result, Func<JsonElement, T> parse)
    {
        try
        {
            return parse(result);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ToncenterException(method, $"unexpected response shape: {e.Message}", code: null, statusCode: null, isTransient: false, attempts: 1, e);
        }
    }

    private Task<JsonElement> GetAsync(string method, IReadOnlyList<(string Name, string Value)> query, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder(method);
        for (var i = 0; i < query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(query[i].Name)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        var uri = new Uri(options.BaseUrl, builder.ToString());
        return SendAsync(method, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
    }

    private Task<JsonElement> PostAsync(string method, Dictionary<string, object> body, CancellationToken cancellationToken)
    {
        var uri = new Uri(options.BaseUrl, method);
        var json = JsonSerializer.Serialize(body);
        return SendAsync(
            method,
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            cancellationToken);
    }

    private async Task<JsonElement> SendAsync(string method, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            ToncenterException failure;
            TimeSpan? retryAfter = null;
            using (var attemptTimeout = new CancellationTokenSource(options.Timeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token))
            {
                try
                {
                    using var request = createRequest();
                    if (!string.IsNullOrEmpty(options.ApiKey))
                    {
                        request.Headers.TryAddWithoutValidation("X-API-Key", options.ApiKey);
                    }

                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                    var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                    if (TryReadEnvelope(method, response.StatusCode, text, attempt, out var result, out failure))
                    {
                        return result;
                    }

                    retryAfter = RetryAfter(response);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException e)
                {
                    failure = new ToncenterException(method, $"no response within {options.Timeout.TotalSeconds:0.###} s", null, null, isTransient: true, attempt, e);
                }
                catch (HttpRequestException e)
                {
                    failure = new ToncenterException(method, $"HTTP request failed: {e.Message}", null, e.StatusCode, isTransient: true, attempt, e);
                }
            }

            if (!failure.IsTransient || attempt >= options.MaxAttempts)
            {
                throw failure;
            }

            await Task.Delay(Backoff(attempt, retryAfter), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool TryReadEnvelope(string method, HttpStatusCode status, string text, int attempt, out JsonElement result, out ToncenterException failure)
    {
        result = default;
        var transientStatus = status == HttpStatusCode.TooManyRequests || (int)status >= 500;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            // Proxies in front of toncenter answer 502/504 with HTML; that is the same outage as a JSON 5xx.
            var snippet = text.Length > MaxErrorSnippet ? text[..MaxErrorSnippet] + "..." : text;
            failure = new ToncenterException(method, $"HTTP {(int)status} with a non-JSON body: {snippet}", (int)status, status, transientStatus, attempt);
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ok", out var ok)
                && ok.ValueKind == JsonValueKind.True
                && root.TryGetProperty("result", out var r)
                && status == HttpStatusCode.OK)
            {
                result = r.Clone();
                failure = null!;
                return true;
            }

            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : $"HTTP {(int)status}";
            int? code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : (int)status;
            var transient = (transientStatus || code is 429 or >= 500) && !IsDeterministicRejection(error);
            failure = new ToncenterException(method, error, code, status, transient, attempt);
            return false;
        }
    }

    // toncenter reports a contract's refusal of an external with code 500; sending it again would be refused again.
    private static bool IsDeterministicRejection(string error) =>
        error.Contains("cannot apply external message", StringComparison.OrdinalIgnoreCase)
        || error.Contains("External message was not accepted", StringComparison.OrdinalIgnoreCase);

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var cap = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
        if (retryAfter is { } wait)
        {
            // The server's own hint wins, bounded so one header cannot stall a caller indefinitely.
            return wait > options.MaxBackoff ? options.MaxBackoff : wait > jittered ? wait : jittered;
        }

        return jittered;
    }
}
