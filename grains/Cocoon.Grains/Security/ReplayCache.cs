using System.Buffers.Binary;

namespace Cocoon.Grains.Security;

/// <summary>
/// The nonces of one account's requests seen by one grain within the clock-skew window. A request older than the
/// window is refused as stale before it gets here, so forgetting a nonce once its window has passed is safe. Bounded:
/// when full of live nonces it says so, and the caller refuses the request (rate limited) instead of forgetting one.
/// </summary>
public sealed class ReplayCache(int limit)
{
    private readonly Dictionary<UInt128, DateTimeOffset> _expiry = [];
    private readonly PriorityQueue<UInt128, DateTimeOffset> _byExpiry = new();

    public int Count => _expiry.Count;

    public enum Result { Fresh, Replayed, Full }

    /// <summary>Records <paramref name="nonce"/> until <paramref name="forgetAt"/>; says whether it was fresh.</summary>
    public Result TryAdd(ReadOnlySpan<byte> nonce, DateTimeOffset forgetAt, DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var old, out var at) && at <= now)
        {
            _byExpiry.Dequeue();
            _expiry.Remove(old);
        }
        var key = BinaryPrimitives.ReadUInt128BigEndian(nonce);
        if (_expiry.ContainsKey(key)) return Result.Replayed;
        if (_expiry.Count >= limit) return Result.Full;
        _expiry[key] = forgetAt;
        _byExpiry.Enqueue(key, forgetAt);
        return Result.Fresh;
    }

    /// <summary>When the oldest nonce is forgotten (room appears then).</summary>
    public DateTimeOffset? NextExpiry => _byExpiry.TryPeek(out _, out var at) ? at : null;
}
