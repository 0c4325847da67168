using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Security;

/// <summary>
/// Canonical bytes for signing: strings as u32 big-endian byte length then UTF-8, integers big-endian, byte strings
/// as u32 length then the bytes. Unambiguous by construction, so two different requests never share bytes.
/// </summary>
public sealed class CanonicalWriter
{
    private readonly MemoryStream _buffer = new();

    public CanonicalWriter String(string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? "");
        return Bytes(bytes);
    }

    public CanonicalWriter Bytes(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>Fixed-length bytes with no length prefix (digests, keys, nonces whose length the layout fixes).</summary>
    public CanonicalWriter Fixed(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    public CanonicalWriter UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public CanonicalWriter Int32(int value) => UInt32(unchecked((uint)value));

    public CanonicalWriter Int64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    public byte[] Sha256() => SHA256.HashData(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
}
