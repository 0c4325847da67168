using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// Seals a payload to several candidate nodes and opens it on one of them. HPKE-shaped (RFC 9180 base mode): an X25519
/// sender key, per recipient HKDF-SHA256 over the shared secret with a labeled info binding both public keys and the
/// node id, and ChaCha20-Poly1305 to wrap the one content key. The caller's associated data (job id, account, public
/// metadata) is authenticated by every wrap and by the body. Version 1 draws a fresh ephemeral key per envelope;
/// version 2 reuses a client's <see cref="SenderKey"/> and binds the envelope's random nonce into each wrap key
/// (docs/sealing.md).
/// </summary>
public static class Sealer
{
    internal static readonly byte[] WrapSalt = "cocoon/seal/v1"u8.ToArray();
    internal static readonly byte[] WrapLabel = "cocoon/seal/v1/wrap"u8.ToArray();
    internal static readonly byte[] WrapSaltV2 = "cocoon/seal/v2"u8.ToArray();
    internal static readonly byte[] WrapLabelV2 = "cocoon/seal/v2/wrap"u8.ToArray();

    /// <summary>Seals as version 1: a fresh ephemeral key for this envelope.</summary>
    public static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients) =>
        Seal(payload, associatedData, recipients, null, SystemSealingRandomness.Instance);

    /// <summary>Seals as version 1, and hands back a copy of the content key: the client needs it to open the node's response stream.</summary>
    public static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients, out byte[] contentKey)
    {
        var capture = new ContentKeyCapture(SystemSealingRandomness.Instance);
        var envelope = Seal(payload, associatedData, recipients, null, capture);
        contentKey = capture.Key!;
        return envelope;
    }

    /// <summary>
    /// Seals with the ring's current sender key (version 2), or as version 1 when the ring is off; hands back a copy of
    /// the content key.
    /// </summary>
    public static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients,
        SenderKeyRing senderKeys, out byte[] contentKey)
    {
        var capture = new ContentKeyCapture(SystemSealingRandomness.Instance);
        var envelope = Seal(payload, associatedData, recipients, senderKeys.Enabled ? senderKeys.Take() : null, capture);
        contentKey = capture.Key!;
        return envelope;
    }

    /// <summary>Keeps a copy of the content key, which <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, IReadOnlyList{SealRecipient}, SenderKey?, ISealingRandomness)"/> wipes when done.</summary>
    private sealed class ContentKeyCapture(ISealingRandomness inner) : ISealingRandomness
    {
        public byte[]? Key { get; private set; }

        public byte[] ContentKey()
        {
            var key = inner.ContentKey();
            Key = key.ToArray();
            return key;
        }

        public byte[] Nonce() => inner.Nonce();

        public void EphemeralPrivateKey(Span<byte> scalar) => inner.EphemeralPrivateKey(scalar);
    }

    /// <summary>Version 2 with <paramref name="sender"/> (its use already reserved); version 1, with a fresh ephemeral key, without.</summary>
    internal static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients,
        SenderKey? sender, ISealingRandomness random)
    {
        if (recipients.Count is 0 or > SealedEnvelope.MaxRecipients)
        {
            throw new ArgumentException($"seal to 1..{SealedEnvelope.MaxRecipients} recipients, not {recipients.Count}", nameof(recipients));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in recipients)
        {
            if (string.IsNullOrEmpty(r.NodeId) || !ids.Add(r.NodeId))
            {
                throw new ArgumentException($"recipient node ids must be non-empty and distinct ('{r.NodeId}')", nameof(recipients));
            }
        }
        var version = sender is null ? SealedEnvelope.Version1 : SealedEnvelope.Version2;
        var contentKey = random.ContentKey();
        Span<byte> secrets = stackalloc byte[32 + 32 + 44]; // ephemeral scalar ‖ X25519 output ‖ okm, wiped below
        var ephemeral = secrets[..32];
        var shared = secrets[32..64];
        var okm = secrets[64..];
        try
        {
            // Drawn first: version 2 binds it into every wrap key.
            var nonce = random.Nonce();
            var wrapped = new WrappedContentKey[recipients.Count];
            // One sender key for all recipients (docs/sealing.md): each wrap key still derives from its own X25519
            // output and an info naming its recipient's key and node id.
            byte[] ephemeralPublic;
            if (sender is null)
            {
                random.EphemeralPrivateKey(ephemeral);
                ephemeralPublic = new byte[32];
                Sodium.ScalarMultBase(ephemeralPublic, ephemeral);
            }
            else
            {
                ephemeralPublic = sender.PublicKey;
            }
            for (var i = 0; i < recipients.Count; i++)
            {
                var r = recipients[i];
                if (r.X25519PublicKey is not { Length: 32 })
                {
                    throw new ArgumentException($"recipient '{r.NodeId}' has no 32-byte X25519 key", nameof(recipients));
                }
                var agreed = sender is null ? Sodium.ScalarMult(shared, ephemeral, r.X25519PublicKey) : sender.SharedSecret(r.X25519PublicKey, shared);
                if (!agreed)
                {
                    throw new ArgumentException($"recipient '{r.NodeId}' has a low-order X25519 key", nameof(recipients));
                }
                DeriveWrapKey(version, shared, ephemeralPublic, r.X25519PublicKey, r.NodeId, nonce, okm);
                var wrap = new byte[48];
                Sodium.Encrypt(okm[..32], okm[32..], contentKey, wrap.AsSpan(0, 32), wrap.AsSpan(32), associatedData);
                wrapped[i] = new WrappedContentKey(r.NodeId, ephemeralPublic.ToArray(), wrap);
            }
            var ciphertext = new byte[payload.Length + 16];
            Sodium.Encrypt(contentKey, nonce, payload, ciphertext.AsSpan(0, payload.Length), ciphertext.AsSpan(payload.Length), associatedData);
            return new SealedEnvelope(version, wrapped, nonce, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secrets);
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    public static OpenedEnvelope Open(SealedEnvelope envelope, string nodeId, NodeKeys keys, ReadOnlySpan<byte> associatedData)
    {
        if (envelope.Version is not (SealedEnvelope.Version1 or SealedEnvelope.Version2))
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.UnsupportedVersion, $"sealed envelope version {envelope.Version} is not supported");
        }
        WrappedContentKey? mine = null;
        foreach (var r in envelope.Recipients)
        {
            if (r.NodeId == nodeId)
            {
                mine = r;
                break;
            }
        }
        if (mine is null)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.NotARecipient, $"the envelope is not sealed to node '{nodeId}'");
        }
        if (mine.EphemeralPublicKey is not { Length: 32 } || mine.WrappedKey is not { Length: 48 } || envelope.Nonce is not { Length: 12 }
            || envelope.Ciphertext is not { Length: >= 16 })
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "sealed envelope fields have the wrong sizes");
        }
        var contentKey = new byte[32];
        Span<byte> secrets = stackalloc byte[32 + 44]; // X25519 output ‖ okm, wiped below
        try
        {
            // A version 2 sender key recurs across envelopes: the node keeps its agreement with it.
            if (!keys.SharedSecret(mine.EphemeralPublicKey, secrets[..32], remember: envelope.Version == SealedEnvelope.Version2))
            {
                throw new SealedEnvelopeException(SealedEnvelopeError.UnwrapFailed, "X25519 agreement failed (low-order key)");
            }
            var okm = secrets[32..];
            DeriveWrapKey(envelope.Version, secrets[..32], mine.EphemeralPublicKey, keys.X25519PublicKey, nodeId, envelope.Nonce, okm);
            if (!Sodium.Decrypt(okm[..32], okm[32..], mine.WrappedKey.AsSpan(0, 32), mine.WrappedKey.AsSpan(32), contentKey, associatedData))
            {
                throw new SealedEnvelopeException(SealedEnvelopeError.UnwrapFailed,
                    "the content key does not unwrap: not this node's key, tampered, or different associated data");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secrets);
        }
        var plaintext = new byte[envelope.Ciphertext.Length - 16];
        if (!Sodium.Decrypt(contentKey, envelope.Nonce, envelope.Ciphertext.AsSpan(0, plaintext.Length), envelope.Ciphertext.AsSpan(plaintext.Length), plaintext, associatedData))
        {
            CryptographicOperations.ZeroMemory(contentKey);
            throw new SealedEnvelopeException(SealedEnvelopeError.DecryptFailed, "the body does not decrypt: tampered or different associated data");
        }
        return new OpenedEnvelope(plaintext, contentKey);
    }

    /// <summary>
    /// okm = HKDF-SHA256(ikm = X25519 output, salt = "cocoon/seal/vN", info = label ‖ enc ‖ pkR ‖ u16 len ‖ nodeId [‖ nonce in
    /// version 2], 44): key (32) ‖ nonce (12).
    /// </summary>
    private static void DeriveWrapKey(int version, ReadOnlySpan<byte> shared, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> recipientPublic,
        string nodeId, ReadOnlySpan<byte> envelopeNonce, Span<byte> okm)
    {
        var idLength = Encoding.UTF8.GetByteCount(nodeId);
        if (idLength > ushort.MaxValue)
        {
            throw new ArgumentException("node id is too long", nameof(nodeId));
        }
        var v2 = version == SealedEnvelope.Version2;
        var (salt, label) = v2 ? (WrapSaltV2, WrapLabelV2) : (WrapSalt, WrapLabel);
        var bound = v2 ? envelopeNonce : default;
        var length = label.Length + 64 + 2 + idLength + bound.Length;
        Span<byte> info = length <= 512 ? stackalloc byte[length] : new byte[length];
        label.CopyTo(info);
        ephemeralPublic.CopyTo(info[label.Length..]);
        recipientPublic.CopyTo(info[(label.Length + 32)..]);
        BinaryPrimitives.WriteUInt16BigEndian(info[(label.Length + 64)..], (ushort)idLength);
        Encoding.UTF8.GetBytes(nodeId, info[(label.Length + 66)..]);
        bound.CopyTo(info[(label.Length + 66 + idLength)..]);
        Sodium.Hkdf(shared, salt, info, okm);
    }
}
