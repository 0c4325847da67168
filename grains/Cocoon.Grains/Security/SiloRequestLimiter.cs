using System.Collections.Concurrent;

namespace Cocoon.Grains.Security;

/// <summary>
/// Request buckets per account on this silo, for requests that reach a job grain without touching the account's wallet
/// (status reads, cancellations, attaches): a flood of job ids from one account is bounded here without a grain call.
/// Job starts are limited exactly by the account's wallet grain; these are limited per silo.
/// </summary>
public sealed class SiloRequestLimiter(CurrentLimits limits, TimeProvider time)
{
    private const int MaxAccounts = 100_000;
    private readonly ConcurrentDictionary<string, AccountLimiter> _accounts = new(StringComparer.Ordinal);

    public void Take(string accountId)
    {
        // Forgetting every bucket at once only ever refills them: bounded memory at the cost of one burst.
        if (_accounts.Count >= MaxAccounts) _accounts.Clear();
        var limiter = _accounts.GetOrAdd(accountId, _ => new AccountLimiter());
        lock (limiter) limiter.Take(accountId, limits.Value, 0, time.GetUtcNow());
    }
}
