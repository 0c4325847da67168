using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// The response stream's key schedule: key ‖ nonce base = HKDF-SHA256(ikm = content key, salt = "cocoon/response/v1",
/// info = "cocoon/response/v1/keys" ‖ job id, 44). Chunk nonce = nonce base XOR (0⁴ ‖ seq as u64 BE); chunk associated
/// data = "cocoon/response/v1/chunk" ‖ u16 len ‖ job id ‖ u64 seq ‖ u8 final. A different job id gives other keys, so
/// chunks cannot be spliced between jobs; the sequence and final flag in nonce and AAD catch reordering and truncation.
/// </summary>
internal sealed class ResponseStreamKeys : IDisposable
{
    private static readonly byte[] Salt = "cocoon/response/v1"u8.ToArray();
    private static readonly byte[] KeysLabel = "cocoon/response/v1/keys"u8.ToArray();
    private static readonly byte[] ChunkLabel = "cocoon/response/v1/chunk"u8.ToArray();

    private readonly byte[] _nonceBase = new byte[12];
    private readonly byte[] _aad;
    private readonly int _aadPrefix;

    public ResponseStreamKeys(ReadOnlySpan<byte> contentKey, string jobId)
    {
        if (contentKey.Length != 32)
        {
            throw new ArgumentException("the content key is 32 bytes", nameof(contentKey));
        }
        var id = Encoding.UTF8.GetBytes(jobId);
        if (id.Length > ushort.MaxValue)
        {
            throw new ArgumentException("job id is too long", nameof(jobId));
        }
        Span<byte> okm = stackalloc byte[44];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, contentKey, okm, Salt, [.. KeysLabel, .. id]);
        Aead = new System.Security.Cryptography.ChaCha20Poly1305(okm[..32]);
        okm[32..].CopyTo(_nonceBase);
        CryptographicOperations.ZeroMemory(okm);

        _aadPrefix = ChunkLabel.Length + 2 + id.Length;
        _aad = new byte[_aadPrefix + 9];
        ChunkLabel.CopyTo(_aad, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_aad.AsSpan(ChunkLabel.Length), (ushort)id.Length);
        id.CopyTo(_aad, ChunkLabel.Length + 2);
    }

    public System.Security.Cryptography.ChaCha20Poly1305 Aead { get; }

    public void Nonce(long sequence, Span<byte> nonce)
    {
        _nonceBase.CopyTo(nonce);
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, (ulong)sequence);
        for (var i = 0; i < 8; i++)
        {
            nonce[4 + i] ^= seq[i];
        }
    }

    /// <summary>The chunk's associated data (reuses one buffer: a sealer or opener is used by one caller at a time).</summary>
    public ReadOnlySpan<byte> AssociatedData(long sequence, bool final)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_aad.AsSpan(_aadPrefix), (ulong)sequence);
        _aad[_aadPrefix + 8] = final ? (byte)1 : (byte)0;
        return _aad;
    }

    public void Dispose() => Aead.Dispose();
}
