using Cocoon.Errors;
using Cocoon.Security;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Security;

/// <summary>
/// Checks a signed public request where it lands (the job or wallet grain): signature, key → account derivation,
/// timestamp within the clock skew, and a nonce not seen by this grain. One Ed25519 verification per request.
/// </summary>
public sealed class RequestVerifier(TimeProvider time, IOptions<RequestVerificationOptions> options, CurrentLimits limits, SiloRequestLimiter siloLimiter)
{
    public RequestVerificationOptions Options => options.Value;

    /// <summary>The registry's account limits as this silo last saw them.</summary>
    public CurrentLimits Limits => limits;

    /// <summary>Per-silo request buckets for requests that do not reach the account's wallet grain.</summary>
    public SiloRequestLimiter SiloLimiter => siloLimiter;

    public ReplayCache NewReplayCache() => new(options.Value.ReplayCacheLimit);

    /// <summary>Throws the typed refusal (<see cref="SignatureRejectedException"/>, <see cref="StaleRequestException"/>, <see cref="RequestReplayedException"/>) or returns.</summary>
    public void Verify(RequestSignature? signature, string operation, ReadOnlySpan<byte> contentDigest, string accountId, ReplayCache replays)
    {
        if (RequestSigning.Check(signature, operation, contentDigest, accountId) is { } problem)
            throw new SignatureRejectedException(accountId, operation, problem);
        var now = time.GetUtcNow();
        var skew = options.Value.ClockSkew;
        var signedAt = signature!.Timestamp;
        if (signedAt < now - skew || signedAt > now + skew)
            throw new StaleRequestException(operation, signedAt, now, skew);
        switch (replays.TryAdd(signature.Nonce, signedAt + skew, now))
        {
            case ReplayCache.Result.Replayed:
                throw new RequestReplayedException(accountId, operation);
            case ReplayCache.Result.Full:
                var retry = (replays.NextExpiry ?? now + skew) - now;
                throw new RateLimitedException(accountId, "requests", retry > TimeSpan.Zero ? retry : TimeSpan.FromSeconds(1),
                    $"more than {options.Value.ReplayCacheLimit} signed requests within {skew.TotalMinutes:0} minutes");
        }
    }

    /// <summary>Verifies a signed request with no body beyond its target.</summary>
    public void Verify(SignedRequest? request, string operation, ReadOnlySpan<byte> contentDigest, ReplayCache replays)
    {
        if (request is null) throw new SignatureRejectedException("(none)", operation, "the request is missing");
        Verify(request.Signature, operation, contentDigest, request.AccountId, replays);
    }
}
