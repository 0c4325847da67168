using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Sealing;

namespace Cocoon.Confidential.Tests.Sealing;

public sealed class SealerTests : IDisposable
{
    private readonly NodeKeys _a = NodeKeys.Generate();
    private readonly NodeKeys _b = NodeKeys.Generate();
    private readonly NodeKeys _c = NodeKeys.Generate();
    private readonly SenderKeyRing _senderKeys = new();
    private static readonly byte[] Aad = "job-1|account-7|model=qwen"u8.ToArray();
    private static readonly byte[] Payload = "{\"prompt\":\"hello\"}"u8.ToArray();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _senderKeys.Dispose();
    }

    /// <summary>Version 1 (a fresh ephemeral key) or 2 (this test's sender key).</summary>
    private SealedEnvelope SealToAll(int version = SealedEnvelope.Version1)
    {
        SealRecipient[] all = [new("a", _a.X25519PublicKey), new("b", _b.X25519PublicKey), new("c", _c.X25519PublicKey)];
        var envelope = version == SealedEnvelope.Version1 ? Sealer.Seal(Payload, Aad, all) : Sealer.Seal(Payload, Aad, all, _senderKeys, out _);
        Assert.Equal(version, envelope.Version);
        return envelope;
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void Every_candidate_opens_the_same_payload_and_content_key(int version)
    {
        var envelope = SealToAll(version);
        var a = Sealer.Open(envelope, "a", _a, Aad);
        var c = Sealer.Open(envelope, "c", _c, Aad);
        Assert.Equal(Payload, a.Plaintext);
        Assert.Equal(Payload, c.Plaintext);
        Assert.Equal(a.ContentKey, c.ContentKey);
        Assert.Equal(3, envelope.Recipients.Count);
    }

    [Fact]
    public void The_sealing_client_gets_the_content_key_the_node_opens_and_can_read_the_response()
    {
        var envelope = Sealer.Seal(Payload, Aad, [new("a", _a.X25519PublicKey)], out var clientKey);
        var opened = Sealer.Open(envelope, "a", _a, Aad);
        Assert.Equal(opened.ContentKey, clientKey);
        Assert.NotEqual(new byte[32], clientKey); // a copy, not the wiped original

        using var sealer = new ResponseSealer(opened.ContentKey, "job-1");
        using var opener = new ResponseOpener(clientKey, "job-1");
        Assert.Equal("tok"u8.ToArray(), opener.Open(sealer.Seal("tok"u8, final: true)));
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void The_byte_form_round_trips(int version)
    {
        var envelope = SealToAll(version);
        var parsed = SealedEnvelope.Parse(envelope.ToBytes());
        Assert.Equal(Payload, Sealer.Open(parsed, "b", _b, Aad).Plaintext);
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void A_node_that_is_not_a_recipient_cannot_open(int version)
    {
        using var outsider = NodeKeys.Generate();
        var e = Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(SealToAll(version), "d", outsider, Aad));
        Assert.Equal(SealedEnvelopeError.NotARecipient, e.Error);
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void Another_nodes_keys_under_a_recipients_id_do_not_unwrap(int version)
    {
        var e = Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(SealToAll(version), "a", _b, Aad));
        Assert.Equal(SealedEnvelopeError.UnwrapFailed, e.Error);
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void Other_associated_data_does_not_open(int version)
    {
        var e = Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(SealToAll(version), "a", _a, "job-2|account-7|model=qwen"u8));
        Assert.Equal(SealedEnvelopeError.UnwrapFailed, e.Error);
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void Tampered_ciphertext_nonce_or_wrap_does_not_open(int version)
    {
        var envelope = SealToAll(version);
        var ciphertext = envelope.Ciphertext.ToArray();
        ciphertext[0] ^= 1;
        Assert.Equal(SealedEnvelopeError.DecryptFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(envelope with { Ciphertext = ciphertext }, "a", _a, Aad)).Error);
        var nonce = envelope.Nonce.ToArray();
        nonce[3] ^= 1;
        // Version 2 derives each wrap key from the nonce too, so a changed nonce already fails the unwrap.
        Assert.Equal(version == SealedEnvelope.Version1 ? SealedEnvelopeError.DecryptFailed : SealedEnvelopeError.UnwrapFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(envelope with { Nonce = nonce }, "a", _a, Aad)).Error);
        var wrap = envelope.Recipients[0].WrappedKey.ToArray();
        wrap[5] ^= 1;
        var recipients = envelope.Recipients.ToArray();
        recipients[0] = recipients[0] with { WrappedKey = wrap };
        Assert.Equal(SealedEnvelopeError.UnwrapFailed,
            Assert.Throws<SealedEnvelopeException>(() => Sealer.Open(envelope with { Recipients = recipients }, "a", _a, Aad)).Error);
    }

    [Theory]
    [InlineData(SealedEnvelope.Version1)]
    [InlineData(SealedEnvelope.Version2)]
    public void Malformed_bytes_are_a_typed_error(int version)
    {
        var bytes = SealToAll(version).ToBytes();
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var cut = bytes[..random.Next(bytes.Length)];
            Assert.Throws<SealedEnvelopeException>(() => SealedEnvelope.Parse(cut));
        }
        bytes[0] = 9;
        Assert.Equal(SealedEnvelopeError.UnsupportedVersion, Assert.Throws<SealedEnvelopeException>(() => SealedEnvelope.Parse(bytes)).Error);
    }

    [Fact]
    public void Sealing_needs_distinct_recipients_with_x25519_keys()
    {
        Assert.Throws<ArgumentException>(() => Sealer.Seal(Payload, Aad, []));
        Assert.Throws<ArgumentException>(() => Sealer.Seal(Payload, Aad, [new("a", _a.X25519PublicKey), new("a", _b.X25519PublicKey)]));
        Assert.Throws<ArgumentException>(() => Sealer.Seal(Payload, Aad, [new("a", new byte[31])]));
    }

    [Fact]
    public void Node_keys_export_and_import()
    {
        using var imported = NodeKeys.Import(_a.Export());
        Assert.Equal(_a.X25519PublicKey, imported.X25519PublicKey);
        Assert.Equal(_a.Ed25519PublicKey, imported.Ed25519PublicKey);
        Assert.Equal(Payload, Sealer.Open(SealToAll(), "a", imported, Aad).Plaintext);
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => NodeKeys.Import(new byte[10]));
    }
}
