using Cocoon.Errors;
using Cocoon.Registry;

namespace Cocoon.Grains.Security;

/// <summary>One account's request and token buckets, kept where the account's requests land (its wallet grain).</summary>
public sealed class AccountLimiter
{
    private TokenBucket? _requests;
    private TokenBucket? _tokens;
    private AccountLimits? _limits;

    /// <summary>Charges one request and <paramref name="tokens"/> tokens, or throws <see cref="RateLimitedException"/> and charges nothing more.</summary>
    public void Take(string accountId, AccountLimits limits, long tokens, DateTimeOffset now)
    {
        Configure(limits, now);
        if (tokens > limits.TokenBurst)
            throw new InvalidJobException("max_tokens",
                $"The job may use {tokens} tokens (prompt bound + max tokens), more than the {limits.TokenBurst} an account may start at once: lower max_tokens or split the prompt.");
        if (_requests!.TryTake(1, now) is { } waitRequests)
            throw new RateLimitedException(accountId, "requests", Clamp(waitRequests), $"{limits.RequestsPerMinute} requests per minute, burst {limits.RequestBurst}");
        if (tokens > 0 && _tokens!.TryTake(tokens, now) is { } waitTokens)
            throw new RateLimitedException(accountId, "tokens", Clamp(waitTokens), $"{limits.TokensPerMinute} tokens per minute, burst {limits.TokenBurst}");
    }

    private void Configure(AccountLimits limits, DateTimeOffset now)
    {
        if (_requests is null || _tokens is null)
        {
            _requests = new TokenBucket(limits.RequestBurst, limits.RequestsPerMinute, now);
            _tokens = new TokenBucket(limits.TokenBurst, limits.TokensPerMinute, now);
        }
        else if (!Equals(limits, _limits))
        {
            _requests.Reconfigure(limits.RequestBurst, limits.RequestsPerMinute, now);
            _tokens.Reconfigure(limits.TokenBurst, limits.TokensPerMinute, now);
        }
        _limits = limits;
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait;
}
