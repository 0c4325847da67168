namespace Cocoon.Errors;

/// <summary>The request's signature is missing, malformed, made by a key that does not derive the account, or wrong.</summary>
[GenerateSerializer, Alias("cocoon.error.signature-rejected.v1")]
public sealed class SignatureRejectedException(string accountId, string operation, string reason)
    : CocoonException("signature_rejected",
        $"The {operation} request for account {accountId} was refused: {reason}. Sign it with the account's key (see docs/security.md).")
{
    [Id(0)] public string AccountId { get; private set; } = accountId;
    [Id(1)] public string Operation { get; private set; } = operation;
    [Id(2)] public string Reason { get; private set; } = reason;
}

/// <summary>The request's timestamp is outside the accepted clock skew: the signer's clock is wrong, or the request is old.</summary>
[GenerateSerializer, Alias("cocoon.error.stale-request.v1")]
public sealed class StaleRequestException(string operation, DateTimeOffset signedAt, DateTimeOffset now, TimeSpan skew)
    : CocoonException("stale_request",
        $"The {operation} request was signed at {signedAt:O}, more than {skew.TotalSeconds:0} s from the network's clock ({now:O}): sign it again now (and check the clock).")
{
    [Id(0)] public string Operation { get; private set; } = operation;
    [Id(1)] public DateTimeOffset SignedAt { get; private set; } = signedAt;
}

/// <summary>This exact signed request was already used: every request needs a fresh nonce and signature.</summary>
[GenerateSerializer, Alias("cocoon.error.request-replayed.v1")]
public sealed class RequestReplayedException(string accountId, string operation)
    : CocoonException("request_replayed",
        $"The {operation} request for account {accountId} repeats a nonce already used: sign each request anew.")
{
    [Id(0)] public string AccountId { get; private set; } = accountId;
}

/// <summary>
/// The account went over one of its limits (requests, tokens, concurrent jobs); <see cref="RetryAfter"/> says when the
/// same request would pass. The endpoint answers 429 with a Retry-After header.
/// </summary>
[GenerateSerializer, Alias("cocoon.error.rate-limited.v1")]
public sealed class RateLimitedException(string accountId, string limit, TimeSpan retryAfter, string detail)
    : CocoonException("rate_limited",
        $"Account {accountId} is over its {limit} limit ({detail}): retry after {Math.Ceiling(retryAfter.TotalSeconds):0} s.")
{
    [Id(0)] public string AccountId { get; private set; } = accountId;
    /// <summary>Which limit: <c>requests</c>, <c>tokens</c> or <c>active_jobs</c>.</summary>
    [Id(1)] public string Limit { get; private set; } = limit;
    [Id(2)] public TimeSpan RetryAfter { get; private set; } = retryAfter;
}
