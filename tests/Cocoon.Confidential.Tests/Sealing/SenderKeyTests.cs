using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Sealing;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Confidential.Tests.Sealing;

/// <summary>Version 2 envelopes: a client's reused sender key, its rotation, and the node's memory of agreements.</summary>
public sealed class SenderKeyTests : IDisposable
{
    private static readonly byte[] Payload = "{\"prompt\":\"hello\"}"u8.ToArray();
    private readonly NodeKeys _a = NodeKeys.Generate();
    private readonly NodeKeys _b = NodeKeys.Generate();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static byte[] Aad(int job) => System.Text.Encoding.UTF8.GetBytes($"job-{job}|account-7|model=echo");

    private SealedEnvelope Seal(SenderKeyRing ring, int job, out byte[] contentKey) =>
        Sealer.Seal(Payload, Aad(job), [new("a", _a.X25519PublicKey), new("b", _b.X25519PublicKey)], ring, out contentKey);

    [Fact]
    public void Envelopes_of_one_sender_key_share_its_public_key_yet_each_wraps_under_its_own_key_and_the_node_agrees_once()
    {
        using var ring = new SenderKeyRing();
        var before = _a.AgreementsComputed;
        var envelopes = Enumerable.Range(0, 5).Select(job => (Envelope: Seal(ring, job, out var key), Key: key)).ToArray();

        Assert.All(envelopes, e => Assert.Equal(SealedEnvelope.Version2, e.Envelope.Version));
        var sender = envelopes[0].Envelope.Recipients[0].EphemeralPublicKey;
        Assert.All(envelopes, e => Assert.All(e.Envelope.Recipients, r => Assert.Equal(sender, r.EphemeralPublicKey)));
        Assert.Equal(5, envelopes.Select(e => Convert.ToHexString(e.Envelope.Nonce)).Distinct().Count());
        Assert.Equal(5, envelopes.Select(e => Convert.ToHexString(e.Envelope.Recipients[0].WrappedKey)).Distinct().Count());

        for (var job = 0; job < envelopes.Length; job++)
        {
            var opened = Sealer.Open(envelopes[job].Envelope, "a", _a, Aad(job));
            Assert.Equal(Payload, opened.Plaintext);
            Assert.Equal(envelopes[job].Key, opened.ContentKey);
            Assert.Equal(Payload, Sealer.Open(SealedEnvelope.Parse(envelopes[job].Envelope.ToBytes()), "b", _b, Aad(job)).Plaintext);
        }
        Assert.Equal(1, _a.AgreementsComputed - before);
        Assert.Equal(1, _a.AgreementsRemembered);
    }

    [Fact]
    public void The_same_content_key_and_sender_under_two_nonces_gives_two_wrap_keys()
    {
        // Version 2's safety rests on this: the nonce is in the derivation, so a reused sender key never reuses a wrap key.
        var key = new SenderKey(Enumerable.Repeat((byte)7, 32).ToArray(), DateTimeOffset.UnixEpoch, 10, TimeSpan.FromHours(1));
        SealRecipient[] to = [new("a", _a.X25519PublicKey)];
        var first = Sealer.Seal(Payload, Aad(1), to, key, new Fixed(1));
        var second = Sealer.Seal(Payload, Aad(1), to, key, new Fixed(2));
        Assert.NotEqual(first.Recipients[0].WrappedKey, second.Recipients[0].WrappedKey);
        Assert.Equal(Payload, Sealer.Open(first, "a", _a, Aad(1)).Plaintext);
        Assert.Equal(Payload, Sealer.Open(second, "a", _a, Aad(1)).Plaintext);
    }

    private sealed class Fixed(byte nonce) : ISealingRandomness
    {
        public byte[] ContentKey() => new byte[32];

        public byte[] Nonce() => Enumerable.Repeat(nonce, 12).ToArray();

        public void EphemeralPrivateKey(Span<byte> scalar) => throw new InvalidOperationException("a sender key needs no ephemeral key");
    }

    [Fact]
    public void A_sender_key_retires_after_its_count_and_after_its_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var ring = new SenderKeyRing(time, TimeSpan.FromMinutes(10), maxEnvelopes: 3);
        byte[] Sender(int job) => Seal(ring, job, out _).Recipients[0].EphemeralPublicKey;

        var first = Sender(0);
        Assert.Equal(first, Sender(1));
        Assert.Equal(first, Sender(2));
        var second = Sender(3); // the fourth envelope
        Assert.NotEqual(first, second);

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(second, Sender(4));
        time.Advance(TimeSpan.FromMinutes(1));
        var third = Sender(5);
        Assert.NotEqual(second, third);
        Assert.NotEqual(first, third);
    }

    [Fact]
    public void A_lifetime_of_zero_seals_version_1_with_a_fresh_key_per_envelope()
    {
        using var ring = new SenderKeyRing(lifetime: TimeSpan.Zero);
        Assert.False(ring.Enabled);
        var one = Seal(ring, 1, out _);
        var two = Seal(ring, 2, out _);
        Assert.Equal(SealedEnvelope.Version1, one.Version);
        Assert.NotEqual(one.Recipients[0].EphemeralPublicKey, two.Recipients[0].EphemeralPublicKey);
        Assert.Equal(Payload, Sealer.Open(two, "a", _a, Aad(2)).Plaintext);
        Assert.Equal(0, _a.AgreementsRemembered); // one-time keys are not kept
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderKeyRing(lifetime: TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderKeyRing(maxEnvelopes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderKeyRing(maxEnvelopes: (1L << 24) + 1));
    }

    [Fact]
    public void An_envelope_relabelled_to_the_other_version_does_not_open()
    {
        using var ring = new SenderKeyRing();
        var v2 = Seal(ring, 1, out _);
        Assert.Equal(SealedEnvelopeError.UnwrapFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(v2 with { Version = SealedEnvelope.Version1 }, "a", _a, Aad(1))).Error);
        var v1 = Sealer.Seal(Payload, Aad(1), [new("a", _a.X25519PublicKey)]);
        Assert.Equal(SealedEnvelopeError.UnwrapFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(v1 with { Version = SealedEnvelope.Version2 }, "a", _a, Aad(1))).Error);
    }

    [Fact]
    public void A_low_order_sender_key_is_refused_and_not_remembered()
    {
        using var ring = new SenderKeyRing();
        var envelope = Seal(ring, 1, out _);
        var recipients = envelope.Recipients.ToArray();
        recipients[0] = recipients[0] with { EphemeralPublicKey = new byte[32] };
        Assert.Equal(SealedEnvelopeError.UnwrapFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(envelope with { Recipients = recipients }, "a", _a, Aad(1))).Error);
        Assert.Equal(0, _a.AgreementsRemembered);
    }

    [Fact]
    public void The_node_remembers_a_bounded_number_of_senders_and_still_opens_a_forgotten_one()
    {
        var rings = Enumerable.Range(0, NodeKeys.RememberedSenders + 5).Select(_ => new SenderKeyRing()).ToArray();
        try
        {
            SealedEnvelope OneFor(SenderKeyRing ring) => Sealer.Seal(Payload, Aad(1), [new("a", _a.X25519PublicKey)], ring, out _);
            foreach (var ring in rings) Sealer.Open(OneFor(ring), "a", _a, Aad(1));
            Assert.Equal(NodeKeys.RememberedSenders, _a.AgreementsRemembered);
            Assert.Equal(rings.Length, _a.AgreementsComputed);

            // The first sender was forgotten (oldest first): its next envelope costs an agreement again, and opens.
            Assert.Equal(Payload, Sealer.Open(OneFor(rings[0]), "a", _a, Aad(1)).Plaintext);
            Assert.Equal(rings.Length + 1, _a.AgreementsComputed);
            // The last one is remembered.
            Sealer.Open(OneFor(rings[^1]), "a", _a, Aad(1));
            Assert.Equal(rings.Length + 1, _a.AgreementsComputed);
            Assert.Equal(NodeKeys.RememberedSenders, _a.AgreementsRemembered);
        }
        finally
        {
            foreach (var ring in rings) ring.Dispose();
        }
    }

    [Fact]
    public void Concurrent_sealers_share_the_ring_safely()
    {
        using var ring = new SenderKeyRing(maxEnvelopes: 50);
        var envelopes = new SealedEnvelope[400];
        Parallel.For(0, envelopes.Length, i => envelopes[i] = Seal(ring, i, out _));
        for (var i = 0; i < envelopes.Length; i++)
        {
            Assert.Equal(Payload, Sealer.Open(envelopes[i], "a", _a, Aad(i)).Plaintext);
        }
        // At most 50 envelopes per key: 400 envelopes need at least 8 keys.
        var bySender = envelopes.GroupBy(e => Convert.ToHexString(e.Recipients[0].EphemeralPublicKey)).ToArray();
        Assert.True(bySender.Length >= 8, $"{bySender.Length} sender keys");
        Assert.All(bySender, g => Assert.True(g.Count() <= 50, $"{g.Count()} envelopes under one key"));
    }
}
