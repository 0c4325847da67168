using System.Collections.Concurrent;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// Caches verdicts by (node id, evidence version) until they expire, unlike COCOON's cache which never does: collateral
/// and policy change, so a verdict is re-checked after <c>ttl</c> (failures after <c>failureTtl</c>, so a transient
/// collateral outage heals). A hit allocates nothing: a dictionary lookup, a clock read and a comparison of the evidence.
/// </summary>
public sealed class CachingAttestationVerifier(IAttestationVerifier inner, TimeProvider time, TimeSpan ttl, TimeSpan? failureTtl = null)
    : IAttestationVerifier
{
    private readonly ConcurrentDictionary<(string NodeId, long Version), Entry> _cache = new();
    private readonly TimeSpan _failureTtl = failureTtl ?? TimeSpan.FromSeconds(Math.Min(60, ttl.TotalSeconds));

    public int Count => _cache.Count;

    public ValueTask<AttestationResult> VerifyAsync(string nodeId, Evidence evidence, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue((nodeId, evidence.Version), out var entry) && time.GetUtcNow() < entry.ExpiresAt && entry.Matches(evidence))
        {
            return new ValueTask<AttestationResult>(entry.Result);
        }
        return VerifyAndStoreAsync(nodeId, evidence, cancellationToken);
    }

    /// <summary>Drops a node's verdicts (e.g. when the registry's policy changes).</summary>
    public void Invalidate(string nodeId)
    {
        foreach (var key in _cache.Keys)
        {
            if (key.NodeId == nodeId)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    public void Clear() => _cache.Clear();

    private async ValueTask<AttestationResult> VerifyAndStoreAsync(string nodeId, Evidence evidence, CancellationToken cancellationToken)
    {
        var result = await inner.VerifyAsync(nodeId, evidence, cancellationToken).ConfigureAwait(false);
        var expires = time.GetUtcNow() + (result.Verified ? ttl : _failureTtl);
        _cache[(nodeId, evidence.Version)] = new Entry(evidence, result, expires);
        return result;
    }

    private sealed record Entry(Evidence Evidence, AttestationResult Result, DateTimeOffset ExpiresAt)
    {
        // The same version with other bytes is another claim: a node must not ride on an older verdict.
        public bool Matches(Evidence other) => ReferenceEquals(Evidence, other)
            || (Evidence.Quote.AsSpan().SequenceEqual(other.Quote)
                && Evidence.X25519PublicKey.AsSpan().SequenceEqual(other.X25519PublicKey)
                && Evidence.Ed25519PublicKey.AsSpan().SequenceEqual(other.Ed25519PublicKey)
                && Evidence.IssuedAt == other.IssuedAt);
    }
}
