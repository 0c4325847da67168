namespace Cocoon.Grains.Security;

/// <summary>A token bucket: holds up to <c>capacity</c>, refills at <c>perMinute</c>; a take either fits or says how long to wait.</summary>
public sealed class TokenBucket
{
    private double _tokens;
    private DateTimeOffset _at;

    public TokenBucket(double capacity, double perMinute, DateTimeOffset now)
    {
        _tokens = capacity;
        _at = now;
        Capacity = capacity;
        PerMinute = perMinute;
    }

    public double Capacity { get; private set; }
    public double PerMinute { get; private set; }

    /// <summary>Follows a change of limits (the registry's), keeping what is left.</summary>
    public void Reconfigure(double capacity, double perMinute, DateTimeOffset now)
    {
        Refill(now);
        Capacity = capacity;
        PerMinute = perMinute;
        _tokens = Math.Min(_tokens, capacity);
    }

    /// <summary>Takes <paramref name="amount"/> and returns null, or takes nothing and returns how long until it would fit.</summary>
    public TimeSpan? TryTake(double amount, DateTimeOffset now)
    {
        Refill(now);
        if (amount <= _tokens)
        {
            _tokens -= amount;
            return null;
        }
        if (amount > Capacity || PerMinute <= 0) return TimeSpan.MaxValue;
        return TimeSpan.FromMinutes((amount - _tokens) / PerMinute);
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _at) return;
        _tokens = Math.Min(Capacity, _tokens + (now - _at).TotalMinutes * PerMinute);
        _at = now;
    }
}
