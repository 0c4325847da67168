namespace Cocoon.Ton.Toncenter;

/// <summary>Where a <see cref="ToncenterClient"/> sends requests and how it retries them.</summary>
public sealed record ToncenterOptions
{
    /// <summary>toncenter's public mainnet API (an API key lifts the anonymous 1 request/second limit).</summary>
    public static readonly Uri MainnetBaseUrl = new("https://toncenter.com/api/v2/");

    /// <summary>toncenter's public testnet API.</summary>
    public static readonly Uri TestnetBaseUrl = new("https://testnet.toncenter.com/api/v2/");

    /// <summary>The API root, ending in <c>/api/v2/</c>: toncenter, or a local dev chain.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Sent as the <c>X-API-Key</c> header when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Limit for one HTTP attempt; retries get a fresh one.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts in all for a request that fails transiently (429, 5xx, network errors, timeouts).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Back-off before the second attempt; doubles per attempt, with full jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"BaseUrl must be an absolute http(s) URL, got '{BaseUrl}'.", nameof(BaseUrl));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeout must be positive.", nameof(Timeout));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException("MaxAttempts must be at least 1.", nameof(MaxAttempts));
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("Back-off must satisfy 0 <= InitialBackoff <= MaxBackoff.", nameof(InitialBackoff));
        }
    }
}
