using System.Numerics;
using System.Text;
using Cocoon.Ton.Addresses;

namespace Cocoon.Ton.Cells;

/// <summary>
/// Reads a cell's bits and references in order (the TVM slice). Reading past the end, or data that does not
/// match the expected layout, throws <see cref="TonFormatException"/>: a parser built on slices reports bad
/// input with one exception type.
/// </summary>
public sealed class CellSlice
{
    internal CellSlice(Cell cell)
    {
        Cell = cell;
    }

    public Cell Cell { get; }

    public int BitPosition { get; private set; }

    public int RefPosition { get; private set; }

    public int RemainingBits => Cell.BitLength - BitPosition;

    public int RemainingRefs => Cell.Refs.Count - RefPosition;

    public bool PreloadBit()
    {
        EnsureBits(1);
        return ReadBitAt(BitPosition);
    }

    public bool LoadBit()
    {
        var bit = PreloadBit();
        BitPosition++;
        return bit;
    }

    public void SkipBits(int bits)
    {
        EnsureBits(bits);
        BitPosition += bits;
    }

    /// <summary>Reads an unsigned integer of 0..64 bits.</summary>
    public ulong LoadUInt(int bits)
    {
        if (bits is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Use LoadUIntBig for more than 64 bits.");
        }

        EnsureBits(bits);
        var value = ReadBitsAt(BitPosition, bits);
        BitPosition += bits;
        return value;
    }

    public ulong PreloadUInt(int bits)
    {
        var position = BitPosition;
        var value = LoadUInt(bits);
        BitPosition = position;
        return value;
    }

    /// <summary>Reads a signed two's complement integer of 1..64 bits.</summary>
    public long LoadInt(int bits)
    {
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Use LoadIntBig for more than 64 bits.");
        }

        var raw = LoadUInt(bits);
        if (bits == 64)
        {
            return (long)raw;
        }

        // Sign-extend from the top bit of the field.
        var shift = 64 - bits;
        return (long)(raw << shift) >> shift;
    }

    public BigInteger LoadUIntBig(int bits)
    {
        if (bits is < 0 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "An unsigned TVM integer has at most 256 bits.");
        }

        EnsureBits(bits);
        var value = BigInteger.Zero;
        var position = BitPosition;
        for (var left = bits; left > 0;)
        {
            var take = Math.Min(64, left);
            value = (value << take) | ReadBitsAt(position, take);
            position += take;
            left -= take;
        }

        BitPosition += bits;
        return value;
    }

    public BigInteger LoadIntBig(int bits)
    {
        if (bits is < 1 or > 257)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "A signed TVM integer has 1..257 bits.");
        }

        EnsureBits(bits);
        var negative = ReadBitAt(BitPosition);
        var value = LoadUIntBig(Math.Min(bits, 256));
        if (bits == 257)
        {
            // The 256-bit read above consumed the sign bit and 255 value bits; take the last one.
            value = (value << 1) | (LoadBit() ? BigInteger.One : BigInteger.Zero);
        }

        return negative ? value - (BigInteger.One << bits) : value;
    }

    /// <summary>Reads <c>VarUInteger n</c> with a length field of <paramref name="lengthBits"/> bits.</summary>
    public BigInteger LoadVarUIntBig(int lengthBits)
    {
        var bytes = (int)LoadUInt(lengthBits);
        if (bytes > 32)
        {
            throw new TonFormatException($"A VarUInteger of {bytes} bytes is larger than any TVM integer.");
        }

        return LoadUIntBig(bytes * 8);
    }

    /// <summary>Reads <c>Grams</c> (<c>VarUInteger 16</c>): an amount of nanotons below 2^120.</summary>
    public UInt128 LoadCoins() => (UInt128)LoadVarUIntBig(4);

    public byte[] LoadBytes(int count)
    {
        var bytes = new byte[count];
        LoadBytes(bytes);
        return bytes;
    }

    public void LoadBytes(Span<byte> destination)
    {
        EnsureBits(destination.Length * 8);
        if (BitPosition % 8 == 0)
        {
            Cell.Data.Slice(BitPosition / 8, destination.Length).CopyTo(destination);
        }
        else
        {
            for (var i = 0; i < destination.Length; i++)
            {
                byte value = 0;
                for (var b = 0; b < 8; b++)
                {
                    value = (byte)((value << 1) | (ReadBitAt(BitPosition + i * 8 + b) ? 1 : 0));
                }

                destination[i] = value;
            }
        }

        BitPosition += destination.Length * 8;
    }

    /// <summary>Reads <paramref name="count"/> bits into a new cell of their own (no references).</summary>
    public Cell LoadBitsAsCell(int count)
    {
        EnsureBits(count);
        var builder = new CellBuilder().StoreBits(Cell.Data, BitPosition, count);
        BitPosition += count;
        return builder.Build();
    }

    public Cell LoadRef()
    {
        if (RemainingRefs < 1)
        {
            throw new TonFormatException($"Cell underflow: no reference left (cell has {Cell.Refs.Count}).");
        }

        return Cell.RefsArray[RefPosition++];
    }

    public Cell PreloadRef()
    {
        if (RemainingRefs < 1)
        {
            throw new TonFormatException($"Cell underflow: no reference left (cell has {Cell.Refs.Count}).");
        }

        return Cell.RefsArray[RefPosition];
    }

    /// <summary>Reads <c>Maybe ^Cell</c>.</summary>
    public Cell? LoadMaybeRef() => LoadBit() ? LoadRef() : null;

    /// <summary>Reads a <c>HashmapE</c> root (<c>Maybe ^Cell</c>); null is the empty dictionary.</summary>
    public Cell? LoadDict() => LoadMaybeRef();

    /// <summary>Reads <c>MsgAddressInt</c> as a standard address; <c>addr_none</c> gives null.</summary>
    public TonAddress? LoadAddress()
    {
        var tag = LoadUInt(2);
        return tag switch
        {
            0b00 => null,
            0b10 => LoadStdAddressBody(),
            0b11 => throw new TonFormatException("Variable-length addresses (addr_var) are not supported."),
            _ => throw new TonFormatException("Expected an internal address, found an external one (addr_extern)."),
        };
    }

    /// <summary>Reads a <c>MsgAddress</c> of any kind: internal (standard), external, or none.</summary>
    public MessageAddress LoadAnyAddress()
    {
        var tag = PreloadUInt(2);
        if (tag == 0b01)
        {
            SkipBits(2);
            var length = (int)LoadUInt(9);
            var bits = LoadBitsAsCell(length);
            return new MessageAddress(null, new ExternalAddress(bits.DataArray, length));
        }

        return new MessageAddress(LoadAddress(), null);
    }

    private TonAddress LoadStdAddressBody()
    {
        if (LoadBit())
        {
            throw new TonFormatException("Anycast addresses are not supported.");
        }

        var workchain = (int)LoadInt(8);
        return new TonAddress(workchain, LoadBytes(32));
    }

    /// <summary>Reads the rest of the slice and its reference chain as UTF-8 snake data (each next part in the first reference).</summary>
    public string LoadStringTail()
    {
        var bytes = new List<byte>();
        var slice = this;
        for (var hops = 0; ; hops++)
        {
            if (slice.RemainingBits % 8 != 0)
            {
                throw new TonFormatException("Snake string data is not a whole number of bytes.");
            }

            bytes.AddRange(slice.LoadBytes(slice.RemainingBits / 8));
            if (slice.RemainingRefs == 0)
            {
                break;
            }

            if (hops > Cell.MaxDepth)
            {
                throw new TonFormatException("Snake string is longer than any cell chain can be.");
            }

            slice = slice.LoadRef().BeginParse();
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new TonFormatException("Snake string is not valid UTF-8.", e);
        }
    }

    /// <summary>The remaining bits and references as a cell of their own.</summary>
    public Cell ToCell() => new CellBuilder().StoreSlice(this).Build();

    /// <summary>Throws unless every bit and reference was read: a layout with trailing data is not the one expected.</summary>
    public void EndParse()
    {
        if (RemainingBits != 0 || RemainingRefs != 0)
        {
            throw new TonFormatException($"Unexpected trailing data: {RemainingBits} bits and {RemainingRefs} references left.");
        }
    }

    /// <summary>Reads up to 64 bits from a position, a byte-sized chunk at a time.</summary>
    private ulong ReadBitsAt(int position, int count)
    {
        var data = Cell.Data;
        ulong value = 0;
        while (count > 0)
        {
            var offset = position & 7;
            var take = Math.Min(8 - offset, count);
            var chunk = (data[position >> 3] >> (8 - offset - take)) & ((1 << take) - 1);
            value = (value << take) | (uint)chunk;
            position += take;
            count -= take;
        }

        return value;
    }

    private bool ReadBitAt(int position) => (Cell.Data[position / 8] & (0x80 >> (position % 8))) != 0;

    private void EnsureBits(int bits)
    {
        if (bits < 0 || bits > RemainingBits)
        {
            throw new TonFormatException($"Cell underflow: need {bits} bits, {RemainingBits} left.");
        }
    }
}
