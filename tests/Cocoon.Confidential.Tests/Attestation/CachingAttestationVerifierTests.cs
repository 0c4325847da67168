using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Confidential.Tests.Attestation;

public sealed class CachingAttestationVerifierTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly DevCertificateAuthority _ca;
    private readonly NodeKeys _keys = NodeKeys.Generate();
    private readonly CountingVerifier _inner;

    public CachingAttestationVerifierTests()
    {
        _ca = DevCertificateAuthority.Create(_time);
        _inner = new CountingVerifier(new AttestationVerifier(new QuoteVerifier(_ca.CreateTrustAnchors()), null, AttestationPolicy.Development, _time));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task A_verdict_is_reused_until_it_expires_then_rechecked()
    {
        var cache = new CachingAttestationVerifier(_inner, _time, TimeSpan.FromMinutes(10));
        var evidence = new SimulatedTee(_ca, time: _time).CreateEvidence(_keys, 1);
        var first = await cache.VerifyAsync("node-1", evidence);
        var second = await cache.VerifyAsync("node-1", evidence);
        Assert.True(first.Verified, first.FailureReason);
        Assert.Same(first, second);
        Assert.Equal(1, _inner.Calls);

        _time.Advance(TimeSpan.FromMinutes(11));
        var third = await cache.VerifyAsync("node-1", evidence);
        Assert.NotSame(first, third);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task Another_version_or_other_bytes_under_the_same_version_are_verified_afresh()
    {
        var cache = new CachingAttestationVerifier(_inner, _time, TimeSpan.FromMinutes(10));
        var tee = new SimulatedTee(_ca, time: _time);
        var evidence = tee.CreateEvidence(_keys, 1);
        await cache.VerifyAsync("node-1", evidence);
        await cache.VerifyAsync("node-1", tee.CreateEvidence(_keys, 2));
        using var other = NodeKeys.Generate();
        var swapped = evidence with { X25519PublicKey = other.X25519PublicKey };
        var result = await cache.VerifyAsync("node-1", swapped);
        Assert.Equal(3, _inner.Calls);
        Assert.False(result.Verified);
        // The failed verdict for the swapped keys does not poison the genuine evidence's next check.
        Assert.True((await cache.VerifyAsync("node-1", evidence)).Verified);
    }

    [Fact]
    public async Task Failures_are_kept_for_a_shorter_time()
    {
        var cache = new CachingAttestationVerifier(_inner, _time, TimeSpan.FromHours(1), failureTtl: TimeSpan.FromSeconds(30));
        var evidence = new SimulatedTee(_ca, time: _time).CreateEvidence(_keys, 1) with { Quote = new byte[10] };
        await cache.VerifyAsync("node-1", evidence);
        await cache.VerifyAsync("node-1", evidence);
        Assert.Equal(1, _inner.Calls);
        _time.Advance(TimeSpan.FromSeconds(31));
        await cache.VerifyAsync("node-1", evidence);
        Assert.Equal(2, _inner.Calls);
    }

    private sealed class CountingVerifier(IAttestationVerifier inner) : IAttestationVerifier
    {
        public int Calls;

        public ValueTask<AttestationResult> VerifyAsync(string nodeId, Evidence evidence, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return inner.VerifyAsync(nodeId, evidence, cancellationToken);
        }
    }
}
