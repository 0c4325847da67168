using System.Buffers.Binary;

namespace Cocoon.Confidential.Attestation;

/// <summary>Bounds-checked little-endian reader: every overrun becomes a <see cref="QuoteFormatException"/>, never an index error.</summary>
internal ref struct QuoteReader(ReadOnlySpan<byte> data, int baseOffset = 0)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public ReadOnlySpan<byte> Bytes(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new QuoteFormatException(
                $"{what}: needs {count} bytes at offset {baseOffset + Position}, only {Remaining} left");
        }
        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public ushort U16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, what));

    public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));

    /// <summary>A u32 length that must fit in what is left: lengths come from the attacker.</summary>
    public int Length32(string what)
    {
        var length = U32(what);
        if (length > (uint)Remaining)
        {
            throw new QuoteFormatException($"{what}: declared length {length} exceeds the {Remaining} bytes left");
        }
        return (int)length;
    }
}
