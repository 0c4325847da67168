using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using ChaCha20Poly1305 = System.Security.Cryptography.ChaCha20Poly1305;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// Seals a payload to several candidate nodes and opens it on one of them. HPKE-shaped (RFC 9180 base mode): per
/// recipient an ephemeral X25519 key, HKDF-SHA256 over the shared secret with a labeled info binding both public keys
/// and the node id, and ChaCha20-Poly1305 to wrap the one content key. The caller's associated data (job id, account,
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

        public NSec.Cryptography.Key EphemeralKey() => inner.EphemeralKey();
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
        try
        {
            var wrapped = new WrappedContentKey[recipients.Count];
            Span<byte> okm = stackalloc byte[44];
            for (var i = 0; i < recipients.Count; i++)
            {
                var r = recipients[i];
                if (r.X25519PublicKey is not { Length: 32 })
                {
                    throw new ArgumentException($"recipient '{r.NodeId}' has no 32-byte X25519 key", nameof(recipients));
                }
                using var ephemeral = random.EphemeralKey();
                var ephemeralPublic = ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
                var recipientKey = PublicKey.Import(KeyAgreementAlgorithm.X25519, r.X25519PublicKey, KeyBlobFormat.RawPublicKey);
                DeriveWrapKey(ephemeral, recipientKey, ephemeralPublic, r.X25519PublicKey, r.NodeId, okm);
                var wrap = new byte[48];
                using (var aead = new ChaCha20Poly1305(okm[..32]))
                {
                    aead.Encrypt(okm[32..], contentKey, wrap.AsSpan(0, 32), wrap.AsSpan(32), associatedData);
                }
                CryptographicOperations.ZeroMemory(okm);
                wrapped[i] = new WrappedContentKey(r.NodeId, ephemeralPublic, wrap);
            }
            var nonce = random.Nonce();
            var ciphertext = new byte[payload.Length + 16];
            using (var body = new ChaCha20Poly1305(contentKey))
            {
                body.Encrypt(nonce, payload, ciphertext.AsSpan(0, payload.Length), ciphertext.AsSpan(payload.Length), associatedData);
            }
            return new SealedEnvelope(SealedEnvelope.CurrentVersion, wrapped, nonce, ciphertext);
        }
        finally
        {
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
        if (!PublicKey.TryImport(KeyAgreementAlgorithm.X25519, mine.EphemeralPublicKey, KeyBlobFormat.RawPublicKey, out var ephemeralKey) || ephemeralKey is null)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "ephemeral key is not an X25519 key");
        }
        var contentKey = new byte[32];
        Span<byte> okm = stackalloc byte[44];
        try
        {
            DeriveWrapKey(keys.AgreementKey, ephemeralKey, mine.EphemeralPublicKey, keys.X25519PublicKey, nodeId, okm);
            using var aead = new ChaCha20Poly1305(okm[..32]);
            aead.Decrypt(okm[32..], mine.WrappedKey.AsSpan(0, 32), mine.WrappedKey.AsSpan(32), contentKey, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.UnwrapFailed,
                "the content key does not unwrap: not this node's key, tampered, or different associated data");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
        var plaintext = new byte[envelope.Ciphertext.Length - 16];
        try
        {
            using var body = new ChaCha20Poly1305(contentKey);
            body.Decrypt(envelope.Nonce, envelope.Ciphertext.AsSpan(0, plaintext.Length), envelope.Ciphertext.AsSpan(plaintext.Length), plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(contentKey);
            throw new SealedEnvelopeException(SealedEnvelopeError.DecryptFailed, "the body does not decrypt: tampered or different associated data");
        }
        return new OpenedEnvelope(plaintext, contentKey);
    }

    /// <summary>okm = HKDF-SHA256(ikm = X25519(sk, pk), salt = "cocoon/seal/v1", info = label ‖ enc ‖ pkR ‖ u16 len ‖ nodeId, 44): key (32) ‖ nonce (12).</summary>
    private static void DeriveWrapKey(Key privateKey, PublicKey otherPublic, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> recipientPublic, string nodeId, Span<byte> okm)
    {
        var idLength = Encoding.UTF8.GetByteCount(nodeId);
        if (idLength > ushort.MaxValue)
        {
            throw new ArgumentException("node id is too long", nameof(nodeId));
        }
        var info = new byte[WrapLabel.Length + 64 + 2 + idLength];
        WrapLabel.CopyTo(info, 0);
        ephemeralPublic.CopyTo(info.AsSpan(WrapLabel.Length));
        recipientPublic.CopyTo(info.AsSpan(WrapLabel.Length + 32));
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(WrapLabel.Length + 64), (ushort)idLength);
        Encoding.UTF8.GetBytes(nodeId, info.AsSpan(WrapLabel.Length + 66));
        using var shared = KeyAgreementAlgorithm.X25519.Agree(privateKey, otherPublic)
            ?? throw new SealedEnvelopeException(SealedEnvelopeError.UnwrapFailed, "X25519 agreement failed (low-order key)");
        KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, WrapSalt, info, okm);
    }
}
