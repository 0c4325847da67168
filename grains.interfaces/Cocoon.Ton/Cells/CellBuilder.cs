using System.Numerics;
using System.Text;
using Cocoon.Ton.Addresses;

namespace Cocoon.Ton.Cells;

/// <summary>
/// Writes bits and references into a new cell (the TVM builder). Every Store method returns the builder so
/// that layouts read like their TL-B schema; storing past 1023 bits or 4 references throws <see cref="CellOverflowException"/>.
/// </summary>
public sealed class CellBuilder
{
    private readonly byte[] _data = new byte[128];
    private readonly List<Cell> _refs = new(Cell.MaxRefs);

    public int BitLength { get; private set; }

    public int RemainingBits => Cell.MaxBits - BitLength;

    public int RefCount => _refs.Count;

    public int RemainingRefs => Cell.MaxRefs - _refs.Count;

    public CellBuilder StoreBit(bool bit)
    {
        EnsureBits(1);
        if (bit)
        {
            _data[BitLength / 8] |= (byte)(0x80 >> (BitLength % 8));
        }

        BitLength++;
        return this;
    }

    public CellBuilder StoreBit(int bit) => StoreBit(bit != 0);

    /// <summary>Stores an unsigned integer of <paramref name="bits"/> bits (0..64), most significant bit first.</summary>
    public CellBuilder StoreUInt(ulong value, int bits)
    {
        if (bits is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Use the BigInteger overload for more than 64 bits.");
        }

        if (bits < 64 && value >> bits != 0)
        {
            throw new CellOverflowException($"Value {value} does not fit in {bits} unsigned bits.");
        }

        EnsureBits(bits);
        WriteBitsUnchecked(value, bits);
        return this;
    }

    /// <summary>Stores a signed integer of <paramref name="bits"/> bits (1..64) in two's complement.</summary>
    public CellBuilder StoreInt(long value, int bits)
    {
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Use the BigInteger overload for more than 64 bits.");
        }

        if (bits < 64)
        {
            var limit = 1L << (bits - 1);
            if (value < -limit || value >= limit)
            {
                throw new CellOverflowException($"Value {value} does not fit in {bits} signed bits.");
            }
        }

        return StoreUInt(bits == 64 ? (ulong)value : (ulong)value & ((1UL << bits) - 1), bits);
    }

    /// <summary>Stores an unsigned integer of up to 256 bits.</summary>
    public CellBuilder StoreUInt(BigInteger value, int bits)
    {
        if (bits is < 0 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "An unsigned TVM integer has at most 256 bits.");
        }

        if (value.Sign < 0 || (bits < 256 ? value >> bits : value >> 256) != 0)
        {
            throw new CellOverflowException($"Value {value} does not fit in {bits} unsigned bits.");
        }

        return StoreTwosComplement(value, bits);
    }

    /// <summary>Stores a signed integer of up to 257 bits in two's complement.</summary>
    public CellBuilder StoreInt(BigInteger value, int bits)
    {
        if (bits is < 1 or > 257)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "A signed TVM integer has 1..257 bits.");
        }

        var limit = BigInteger.One << (bits - 1);
        if (value < -limit || value >= limit)
        {
            throw new CellOverflowException($"Value {value} does not fit in {bits} signed bits.");
        }

        return StoreTwosComplement(value, bits);
    }

    private CellBuilder StoreTwosComplement(BigInteger value, int bits)
    {
        EnsureBits(bits);
        var unsigned = value.Sign < 0 ? (BigInteger.One << bits) + value : value;
        for (var left = bits; left > 0;)
        {
            var take = Math.Min(64, left);
            WriteBitsUnchecked((ulong)((unsigned >> (left - take)) & ulong.MaxValue), take);
            left -= take;
        }

        return this;
    }

    /// <summary>Stores <c>VarUInteger n</c>: the byte length in <paramref name="lengthBits"/> bits, then the value's bytes.</summary>
    public CellBuilder StoreVarUInt(BigInteger value, int lengthBits)
    {
        if (value.Sign < 0)
        {
            throw new CellOverflowException($"A VarUInteger cannot be negative, got {value}.");
        }

        var bytes = value.IsZero ? 0 : (int)((value.GetBitLength() + 7) / 8);
        if (bytes >= 1 << lengthBits)
        {
            throw new CellOverflowException($"Value {value} needs {bytes} bytes, more than a {lengthBits}-bit length allows.");
        }

        StoreUInt((ulong)bytes, lengthBits);
        return StoreUInt(value, bytes * 8);
    }

    /// <summary>Stores an amount of nanotons as <c>Grams</c> (<c>VarUInteger 16</c>, at most 2^120 - 1).</summary>
    public CellBuilder StoreCoins(BigInteger nanotons) => StoreVarUInt(nanotons, 4);

    public CellBuilder StoreCoins(UInt128 nanotons) => StoreVarUInt(nanotons, 4);

    public CellBuilder StoreCoins(long nanotons)
    {
        if (nanotons < 0)
        {
            throw new CellOverflowException($"An amount of coins cannot be negative, got {nanotons}.");
        }

        return StoreVarUInt(nanotons, 4);
    }

    public CellBuilder StoreBytes(ReadOnlySpan<byte> bytes) => StoreBits(bytes, 0, bytes.Length * 8);

    /// <summary>Stores <paramref name="count"/> bits of <paramref name="source"/> starting at bit <paramref name="bitOffset"/>.</summary>
    public CellBuilder StoreBits(ReadOnlySpan<byte> source, int bitOffset, int count)
    {
        EnsureBits(count);
        if (bitOffset % 8 == 0 && BitLength % 8 == 0)
        {
            var whole = count / 8;
            source.Slice(bitOffset / 8, whole).CopyTo(_data.AsSpan(BitLength / 8));
            BitLength += whole * 8;
            bitOffset += whole * 8;
            count -= whole * 8;
        }

        while (count > 0)
        {
            // Read up to 8 source bits, then write them as one chunk.
            var sourceShift = bitOffset & 7;
            var take = Math.Min(8 - sourceShift, count);
            var chunk = (source[bitOffset >> 3] >> (8 - sourceShift - take)) & ((1 << take) - 1);
            WriteBitsUnchecked((ulong)chunk, take);
            bitOffset += take;
            count -= take;
        }

        return this;
    }

    /// <summary>Stores a <c>MsgAddressInt</c> (<c>addr_std</c>), or <c>addr_none</c> for null.</summary>
    public CellBuilder StoreAddress(TonAddress? address)
    {
        if (address is null)
        {
            return StoreUInt(0, 2);
        }

        EnsureBits(2 + 1 + 8 + 256);
        StoreUInt(0b10, 2);
        StoreBit(false); // no anycast
        StoreInt(address.Workchain, 8);
        return StoreBytes(address.Hash.Span);
    }

    public CellBuilder StoreRef(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (_refs.Count == Cell.MaxRefs)
        {
            throw new CellOverflowException($"A cell holds at most {Cell.MaxRefs} references.");
        }

        _refs.Add(cell);
        return this;
    }

    public CellBuilder StoreRef(CellBuilder builder) => StoreRef(builder.Build());

    /// <summary>Stores <c>Maybe ^Cell</c>: a 0 bit for null, else a 1 bit and the reference.</summary>
    public CellBuilder StoreMaybeRef(Cell? cell)
    {
        if (cell is null)
        {
            return StoreBit(false);
        }

        if (_refs.Count == Cell.MaxRefs)
        {
            throw new CellOverflowException($"A cell holds at most {Cell.MaxRefs} references.");
        }

        StoreBit(true);
        return StoreRef(cell);
    }

    /// <summary>Stores a <c>HashmapE</c>: its root as <c>Maybe ^Cell</c>.</summary>
    public CellBuilder StoreDict(Cell? root) => StoreMaybeRef(root);

    /// <summary>Appends the remaining bits and references of a slice (the slice itself is not advanced).</summary>
    public CellBuilder StoreSlice(CellSlice slice)
    {
        if (slice.RemainingRefs > RemainingRefs)
        {
            throw new CellOverflowException($"A cell holds at most {Cell.MaxRefs} references.");
        }

        StoreBits(slice.Cell.Data, slice.BitPosition, slice.RemainingBits);
        for (var i = 0; i < slice.RemainingRefs; i++)
        {
            _refs.Add(slice.Cell.RefsArray[slice.RefPosition + i]);
        }

        return this;
    }

    /// <summary>Appends all bits and references of a cell (the cell is inlined, not referenced).</summary>
    public CellBuilder StoreCellContents(Cell cell) => StoreSlice(cell.BeginParse());

    public CellBuilder StoreBuilder(CellBuilder other)
    {
        if (other._refs.Count > RemainingRefs)
        {
            throw new CellOverflowException($"A cell holds at most {Cell.MaxRefs} references.");
        }

        StoreBits(other._data, 0, other.BitLength);
        _refs.AddRange(other._refs);
        return this;
    }

    /// <summary>
    /// Stores a string as UTF-8 "snake" data: as many bytes as fit here, the rest in a chain of references,
    /// each next cell taking up to 127 bytes (the layout of text comments).
    /// </summary>
    public CellBuilder StoreStringTail(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var here = Math.Min(bytes.Length, RemainingBits / 8);
        StoreBytes(bytes.AsSpan(0, here));
        if (here < bytes.Length)
        {
            StoreRef(BuildSnake(bytes.AsSpan(here)));
        }

        return this;
    }

    private static Cell BuildSnake(ReadOnlySpan<byte> bytes)
    {
        // Built from the tail so each cell can reference the already built rest.
        var chunks = (bytes.Length + 126) / 127;
        Cell? next = null;
        for (var i = chunks - 1; i >= 0; i--)
        {
            var start = i * 127;
            var builder = new CellBuilder().StoreBytes(bytes.Slice(start, Math.Min(127, bytes.Length - start)));
            if (next is not null)
            {
                builder.StoreRef(next);
            }

            next = builder.Build();
        }

        return next!;
    }

    /// <summary>Finishes the cell. An exotic cell is validated by its type (first byte); bad layouts throw <see cref="TonFormatException"/>.</summary>
    public Cell Build(bool exotic = false)
    {
        var data = _data.AsSpan(0, (BitLength + 7) / 8).ToArray();
        return new Cell(data, BitLength, [.. _refs], exotic);
    }

    private void EnsureBits(int bits)
    {
        if (bits < 0 || BitLength + bits > Cell.MaxBits)
        {
            throw new CellOverflowException($"A cell holds at most {Cell.MaxBits} bits: {BitLength} stored, {bits} more requested.");
        }
    }

    /// <summary>Writes the low <paramref name="count"/> bits of a value, most significant first, a byte-sized chunk at a time.</summary>
    private void WriteBitsUnchecked(ulong value, int count)
    {
        while (count > 0)
        {
            var offset = BitLength & 7;
            var take = Math.Min(8 - offset, count);
            var chunk = (int)(value >> (count - take)) & ((1 << take) - 1);
            _data[BitLength >> 3] |= (byte)(chunk << (8 - offset - take));
            BitLength += take;
            count -= take;
        }
    }
}
