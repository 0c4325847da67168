using System.Buffers.Binary;
using System.Text;

namespace Cocoon.Confidential.Sealing;

/// <summary>The content key wrapped to one candidate node: its node id, the ephemeral X25519 public key, and the AEAD-wrapped key (32 + 16 tag).</summary>
public sealed record WrappedContentKey(string NodeId, byte[] EphemeralPublicKey, byte[] WrappedKey);

/// <summary>
/// A payload encrypted once under a random content key, with that key wrapped to each candidate node's X25519 key.
/// Byte format (big-endian) in docs/sealing.md.
/// </summary>
public sealed record SealedEnvelope(int Version, IReadOnlyList<WrappedContentKey> Recipients, byte[] Nonce, byte[] Ciphertext)
{
    /// <summary>A fresh ephemeral sender key per envelope.</summary>
    public const int Version1 = 1;

    /// <summary>A client's reused <see cref="SenderKey"/>, with the envelope's nonce bound into each wrap key.</summary>
    public const int Version2 = 2;
    public const int MaxRecipients = 64;

    public byte[] ToBytes()
    {
        if (Recipients.Count is 0 or > MaxRecipients || Nonce is not { Length: 12 } || Ciphertext is not { Length: >= 16 }
            || Recipients.Any(r => r.EphemeralPublicKey is not { Length: 32 } || r.WrappedKey is not { Length: 48 }))
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "sealed envelope fields have the wrong sizes");
        }
        var size = 1 + 2 + Recipients.Sum(r => 2 + Encoding.UTF8.GetByteCount(r.NodeId) + 32 + 48) + 12 + 4 + Ciphertext.Length;
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = checked((byte)Version);
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], checked((ushort)Recipients.Count));
        var offset = 3;
        foreach (var r in Recipients)
        {
            var idLength = Encoding.UTF8.GetBytes(r.NodeId, span[(offset + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], checked((ushort)idLength));
            offset += 2 + idLength;
            r.EphemeralPublicKey.CopyTo(span[offset..]);
            r.WrappedKey.CopyTo(span[(offset + 32)..]);
            offset += 80;
        }
        Nonce.CopyTo(span[offset..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(offset + 12)..], checked((uint)Ciphertext.Length));
        Ciphertext.CopyTo(span[(offset + 16)..]);
        return buffer;
    }

    public static SealedEnvelope Parse(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> d, int count)
        {
            if (count < 0 || d.Length - offset < count)
            {
                throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "sealed envelope is truncated");
            }
            var slice = d.Slice(offset, count);
            offset += count;
            return slice;
        }
        var version = Take(data, 1)[0];
        if (version is not (Version1 or Version2))
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.UnsupportedVersion, $"sealed envelope version {version} is not supported");
        }
        var count = BinaryPrimitives.ReadUInt16BigEndian(Take(data, 2));
        if (count is 0 or > MaxRecipients)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, $"sealed envelope has {count} recipients (1..{MaxRecipients})");
        }
        var recipients = new WrappedContentKey[count];
        for (var i = 0; i < count; i++)
        {
            var idLength = BinaryPrimitives.ReadUInt16BigEndian(Take(data, 2));
            string id;
            try
            {
                id = new UTF8Encoding(false, true).GetString(Take(data, idLength));
            }
            catch (DecoderFallbackException)
            {
                throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "recipient node id is not UTF-8");
            }
            recipients[i] = new WrappedContentKey(id, Take(data, 32).ToArray(), Take(data, 48).ToArray());
        }
        var nonce = Take(data, 12).ToArray();
        var length = BinaryPrimitives.ReadUInt32BigEndian(Take(data, 4));
        if (length > int.MaxValue)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "sealed envelope ciphertext length overflows");
        }
        var ciphertext = Take(data, (int)length).ToArray();
        if (offset != data.Length)
        {
            throw new SealedEnvelopeException(SealedEnvelopeError.Malformed, "sealed envelope has trailing bytes");
        }
        return new SealedEnvelope(version, recipients, nonce, ciphertext);
    }
}
