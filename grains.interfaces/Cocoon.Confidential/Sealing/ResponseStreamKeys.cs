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

    private readonly byte[] _key = new byte[32];
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
        Sodium.Hkdf(contentKey, Salt, [.. KeysLabel, .. id], okm);
        okm[..32].CopyTo(_key);
        okm[32..].CopyTo(_nonceBase);
        CryptographicOperations.ZeroMemory(okm);

        _aadPrefix = ChunkLabel.Length + 2 + id.Length;
        _aad = new byte[_aadPrefix + 9];
        ChunkLabel.CopyTo(_aad, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_aad.AsSpan(ChunkLabel.Length), (ushort)id.Length);
        id.CopyTo(_aad, ChunkLabel.Length + 2);
    }

    /// <summary>One-shot ChaCha20-Poly1305 per chunk: no cipher context to set up per stream or per call.</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        Sodium.Encrypt(_key, nonce, plaintext, ciphertext, tag, aad);

    public bool Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad) =>
        Sodium.Decrypt(_key, nonce, ciphertext, tag, plaintext, aad);

    public void Nonce(long sequence, Span<byte> nonce)
    {
        _nonceBase.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)sequence);
    }

    /// <summary>The chunk's associated data (reuses one buffer: a sealer or opener is used by one caller at a time).</summary>
    public ReadOnlySpan<byte> AssociatedData(long sequence, bool final)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_aad.AsSpan(_aadPrefix), (ulong)sequence);
        _aad[_aadPrefix + 8] = final ? (byte)1 : (byte)0;
        return _aad;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
