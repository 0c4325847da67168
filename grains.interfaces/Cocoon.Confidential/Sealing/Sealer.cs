using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// Seals a payload to several candidate nodes and opens it on one of them. HPKE-shaped (RFC 9180 base mode): one
/// ephemeral X25519 key per envelope, per recipient HKDF-SHA256 over the shared secret with a labeled info binding both
/// public keys and the node id, and ChaCha20-Poly1305 to wrap the one content key. The caller's associated data (job id, account,
/// public metadata) is authenticated by every wrap and by the body.
/// </summary>
public static class Sealer
{
    internal static readonly byte[] WrapSalt = "cocoon/seal/v1"u8.ToArray();
    internal static readonly byte[] WrapLabel = "cocoon/seal/v1/wrap"u8.ToArray();

    public static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients) =>
        Seal(payload, associatedData, recipients, SystemSealingRandomness.Instance);

    /// <summary>Seals, and hands back a copy of the content key: the client needs it to open the node's response stream.</summary>
    public static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients, out byte[] contentKey)
    {
        var capture = new ContentKeyCapture(SystemSealingRandomness.Instance);
        var envelope = Seal(payload, associatedData, recipients, capture);
        contentKey = capture.Key!;
        return envelope;
    }

    /// <summary>Keeps a copy of the content key, which <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, IReadOnlyList{SealRecipient}, ISealingRandomness)"/> wipes when done.</summary>
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

    internal static SealedEnvelope Seal(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> associatedData, IReadOnlyList<SealRecipient> recipients, ISealingRandomness random)
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
        var contentKey = random.ContentKey();
        Span<byte> secrets = stackalloc byte[32 + 32 + 44]; // ephemeral scalar ‖ X25519 output ‖ okm, wiped below
        var ephemeral = secrets[..32];
        var shared = secrets[32..64];
        var okm = secrets[64..];
        try
        {
            var wrapped = new WrappedContentKey[recipients.Count];
            // One ephemeral key for all recipients (docs/sealing.md): each wrap key still derives from its own X25519
            // output and an info naming its recipient's key and node id.
            random.EphemeralPrivateKey(ephemeral);
            var ephemeralPublic = new byte[32];
            Sodium.ScalarMultBase(ephemeralPublic, ephemeral);
            for (var i = 0; i < recipients.Count; i++)
            {
                var r = recipients[i];
                if (r.X25519PublicKey is not { Length: 32 })
                {
                    throw new ArgumentException($"recipient '{r.NodeId}' has no 32-byte X25519 key", nameof(recipients));
                }
                if (!Sodium.ScalarMult(shared, ephemeral, r.X25519PublicKey))
                {
                    throw new ArgumentException($"recipient '{r.NodeId}' has a low-order X25519 key", nameof(recipients));
                }
                DeriveWrapKey(shared, ephemeralPublic, r.X25519PublicKey, r.NodeId, okm);
                var wrap = new byte[48];
                Sodium.Encrypt(okm[..32], okm[32..], contentKey, wrap.AsSpan(0, 32), wrap.AsSpan(32), associatedData);
                wrapped[i] = new WrappedContentKey(r.NodeId, ephemeralPublic.ToArray(), wrap);
            }
            var nonce = random.Nonce();
            var ciphertext = new byte[payload.Length + 16];
            Sodium.Encrypt(contentKey, nonce, payload, ciphertext.AsSpan(0, payload.Length), ciphertext.AsSpan(payload.Length), associatedData);
            return new SealedEnvelope(SealedEnvelope.CurrentVersion, wrapped, nonce, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secrets);
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    public static OpenedEnvelope Open(SealedEnvelope envelope, string nodeId, NodeKeys keys, ReadOnlySpan<byte> associatedData)
    {
        if (envelope.Version != SealedEnvelope.CurrentVersion)
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
        Span<byte> secrets = stackalloc byte[32 + 32 + 44]; // node scalar ‖ X25519 output ‖ okm, wiped below
        try
        {
            if (!keys.AgreementKey.TryExport(KeyBlobFormat.RawPrivateKey, secrets[..32], out var written) || written != 32)
            {
                throw new InvalidOperationException("the node's X25519 key cannot be read");
            }
            if (!Sodium.ScalarMult(secrets[32..64], secrets[..32], mine.EphemeralPublicKey))
            {
                throw new SealedEnvelopeException(SealedEnvelopeError.UnwrapFailed, "X25519 agreement failed (low-order key)");
            }
            var okm = secrets[64..];
            DeriveWrapKey(secrets[32..64], mine.EphemeralPublicKey, keys.X25519PublicKey, nodeId, okm);
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

    /// <summary>okm = HKDF-SHA256(ikm = X25519 output, salt = "cocoon/seal/v1", info = label ‖ enc ‖ pkR ‖ u16 len ‖ nodeId, 44): key (32) ‖ nonce (12).</summary>
    private static void DeriveWrapKey(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> recipientPublic, string nodeId, Span<byte> okm)
    {
        var idLength = Encoding.UTF8.GetByteCount(nodeId);
        if (idLength > ushort.MaxValue)
        {
            throw new ArgumentException("node id is too long", nameof(nodeId));
        }
        var length = WrapLabel.Length + 64 + 2 + idLength;
        Span<byte> info = length <= 512 ? stackalloc byte[length] : new byte[length];
        WrapLabel.CopyTo(info);
        ephemeralPublic.CopyTo(info[WrapLabel.Length..]);
        recipientPublic.CopyTo(info[(WrapLabel.Length + 32)..]);
        BinaryPrimitives.WriteUInt16BigEndian(info[(WrapLabel.Length + 64)..], (ushort)idLength);
        Encoding.UTF8.GetBytes(nodeId, info[(WrapLabel.Length + 66)..]);
        Sodium.Hkdf(shared, WrapSalt, info, okm);
    }
}
