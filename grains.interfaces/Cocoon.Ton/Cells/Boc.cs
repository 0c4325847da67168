using System.Buffers.Binary;
using System.Numerics;

namespace Cocoon.Ton.Cells;

/// <summary>
/// Bags of cells (the <c>serialized_boc</c> format). Serialization writes each distinct cell once, in the order
/// @ton/core uses (so BOC bytes match the reference libraries); parsing accepts the generic format with or
/// without index and CRC32C and the two legacy indexed formats, and rejects anything malformed with
/// <see cref="BocFormatException"/>.
/// </summary>
public static class Boc
{
    private const uint GenericMagic = 0xb5ee9c72;
    private const uint IndexedMagic = 0x68ff65f3;
    private const uint IndexedCrc32CMagic = 0xacc3a728;

    public static byte[] Serialize(Cell root, bool withIndex = false, bool withCrc32C = false)
    {
        ArgumentNullException.ThrowIfNull(root);
        var (cells, refIndexes) = TopologicalOrder(root);

        var cellCount = cells.Count;
        var sizeBytes = Math.Max(BytesFor(cellCount), 1);
        var totalCellSize = 0L;
        var ends = new long[cellCount];
        for (var i = 0; i < cellCount; i++)
        {
            totalCellSize += 2 + (cells[i].BitLength + 7) / 8 + cells[i].Refs.Count * sizeBytes;
            ends[i] = totalCellSize;
        }

        var offsetBytes = Math.Max(BytesFor(totalCellSize), 1);
        var length = 4 + 1 + 1 + 3 * sizeBytes + offsetBytes + sizeBytes
                     + (withIndex ? cellCount * offsetBytes : 0) + totalCellSize + (withCrc32C ? 4 : 0);
        var output = new byte[length];
        var position = 0;

        BinaryPrimitives.WriteUInt32BigEndian(output, GenericMagic);
        position += 4;
        output[position++] = (byte)((withIndex ? 0x80 : 0) | (withCrc32C ? 0x40 : 0) | sizeBytes);
        output[position++] = (byte)offsetBytes;
        WriteUInt(output, ref position, (ulong)cellCount, sizeBytes);
        WriteUInt(output, ref position, 1, sizeBytes); // one root
        WriteUInt(output, ref position, 0, sizeBytes); // no absent cells
        WriteUInt(output, ref position, (ulong)totalCellSize, offsetBytes);
        WriteUInt(output, ref position, 0, sizeBytes); // the root is cell 0
        if (withIndex)
        {
            foreach (var end in ends)
            {
                WriteUInt(output, ref position, (ulong)end, offsetBytes);
            }
        }

        for (var i = 0; i < cellCount; i++)
        {
            var cell = cells[i];
            output[position++] = cell.DescriptorRefs(cell.LevelMask);
            output[position++] = Cell.DescriptorBits(cell.BitLength);
            position += cell.WritePaddedData(output.AsSpan(position));
            foreach (var index in refIndexes[i])
            {
                WriteUInt(output, ref position, (ulong)index, sizeBytes);
            }
        }

        if (withCrc32C)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(position), Crc32C(output.AsSpan(0, position)));
            position += 4;
        }

        return output;
    }

    /// <summary>Parses a BOC with exactly one root.</summary>
    public static Cell DeserializeSingle(ReadOnlySpan<byte> boc)
    {
        var roots = Deserialize(boc);
        if (roots.Count != 1)
        {
            throw new BocFormatException($"expected one root, found {roots.Count}.");
        }

        return roots[0];
    }

    public static IReadOnlyList<Cell> Deserialize(ReadOnlySpan<byte> boc)
    {
        var reader = new Reader(boc);
        var magic = (uint)reader.ReadUInt(4);
        bool hasIndex, hasCrc, hasCacheBits;
        int sizeBytes;
        switch (magic)
        {
            case GenericMagic:
            {
                var flags = reader.ReadByte();
                hasIndex = (flags & 0x80) != 0;
                hasCrc = (flags & 0x40) != 0;
                hasCacheBits = (flags & 0x20) != 0;
                if ((flags & 0x18) != 0)
                {
                    throw new BocFormatException("reserved flags are set.");
                }

                if (hasCacheBits && !hasIndex)
                {
                    throw new BocFormatException("cache bits without an index.");
                }

                sizeBytes = flags & 0x07;
                break;
            }
            case IndexedMagic or IndexedCrc32CMagic:
                hasIndex = true;
                hasCrc = magic == IndexedCrc32CMagic;
                hasCacheBits = false;
                sizeBytes = reader.ReadByte();
                break;
            default:
                throw new BocFormatException($"unknown magic 0x{magic:x8}.");
        }

        if (sizeBytes is < 1 or > 4)
        {
            throw new BocFormatException($"reference size must be 1..4 bytes, got {sizeBytes}.");
        }

        var offsetBytes = reader.ReadByte();
        if (offsetBytes is < 1 or > 8)
        {
            throw new BocFormatException($"offset size must be 1..8 bytes, got {offsetBytes}.");
        }

        var cellCount = (long)reader.ReadUInt(sizeBytes);
        var rootCount = (long)reader.ReadUInt(sizeBytes);
        var absent = (long)reader.ReadUInt(sizeBytes);
        var totalCellSize = reader.ReadUInt(offsetBytes);
        if (cellCount < 1 || rootCount < 1 || rootCount > cellCount)
        {
            throw new BocFormatException($"{cellCount} cells and {rootCount} roots.");
        }

        if (absent != 0)
        {
            throw new BocFormatException("absent cells are not supported.");
        }

        // Every cell takes at least two bytes: reject impossible counts before allocating for them.
        if (totalCellSize > (ulong)boc.Length || (ulong)cellCount * 2 > totalCellSize)
        {
            throw new BocFormatException($"{cellCount} cells cannot fit in {totalCellSize} bytes of a {boc.Length}-byte BOC.");
        }

        var rootIndexes = new int[rootCount];
        if (magic == GenericMagic)
        {
            for (var i = 0; i < rootCount; i++)
            {
                var index = (long)reader.ReadUInt(sizeBytes);
                if (index >= cellCount)
                {
                    throw new BocFormatException($"root index {index} is out of range.");
                }

                rootIndexes[i] = (int)index;
            }
        }
        else if (rootCount != 1)
        {
            throw new BocFormatException("the legacy indexed format has a single root.");
        }

        if (hasIndex)
        {
            reader.Skip(checked((int)Math.Min(cellCount * offsetBytes, int.MaxValue)));
        }

        var dataStart = reader.Position;
        var expectedEnd = (long)dataStart + (long)totalCellSize + (hasCrc ? 4 : 0);
        if (expectedEnd != boc.Length)
        {
            throw new BocFormatException($"size mismatch: header describes {expectedEnd} bytes, got {boc.Length}.");
        }

        if (hasCrc)
        {
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(boc[^4..]);
            if (stored != Crc32C(boc[..^4]))
            {
                throw new BocFormatException("CRC32C mismatch.");
            }
        }

        var raw = new RawCell[cellCount];
        for (var i = 0; i < cellCount; i++)
        {
            raw[i] = ReadRawCell(ref reader, i, (int)cellCount, sizeBytes);
        }

        if (reader.Position != dataStart + (int)totalCellSize)
        {
            throw new BocFormatException("cell data does not match the declared total size.");
        }

        // References point forward, so building from the last cell resolves every reference first.
        var cells = new Cell[cellCount];
        for (var i = (int)cellCount - 1; i >= 0; i--)
        {
            var refs = new Cell[raw[i].Refs.Length];
            for (var r = 0; r < refs.Length; r++)
            {
                refs[r] = cells[raw[i].Refs[r]];
            }

            Cell cell;
            try
            {
                cell = new Cell(raw[i].Data, raw[i].BitLength, refs, raw[i].Exotic);
            }
            catch (TonFormatException e)
            {
                throw new BocFormatException($"cell {i}: {e.Message}", e);
            }

            if (cell.LevelMask != raw[i].LevelMask)
            {
                throw new BocFormatException($"cell {i} declares level mask {raw[i].LevelMask}, its contents give {cell.LevelMask}.");
            }

            cells[i] = cell;
        }

        return [.. rootIndexes.Select(index => cells[index])];
    }

    /// <summary>
    /// Decodes a BOC written as text: hex when it is an even-length string of hex digits, base64 (standard or
    /// url-safe alphabet, padding optional) otherwise.
    /// </summary>
    public static byte[] DecodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new BocFormatException("empty text.");
        }

        if (trimmed.Length % 2 == 0 && trimmed.All(Uri.IsHexDigit))
        {
            return Convert.FromHexString(trimmed);
        }

        var standard = trimmed.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 != 0)
        {
            standard = standard.PadRight(standard.Length + (4 - standard.Length % 4), '=');
        }

        try
        {
            return Convert.FromBase64String(standard);
        }
        catch (FormatException e)
        {
            throw new BocFormatException("text is neither hex nor base64.", e);
        }
    }

    /// <summary>CRC-32C (Castagnoli) as BOCs use it: initial value and final XOR 0xffffffff.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xffffffffu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    private static RawCell ReadRawCell(ref Reader reader, int index, int cellCount, int sizeBytes)
    {
        var d1 = reader.ReadByte();
        var d2 = reader.ReadByte();
        var refCount = d1 & 7;
        if (refCount > Cell.MaxRefs)
        {
            throw new BocFormatException($"cell {index} has {refCount} references.");
        }

        var levelMask = d1 >> 5;
        if ((d1 & 16) != 0)
        {
            // Stored hashes and depths are redundant: the cell recomputes them.
            reader.Skip((BitOperations.PopCount((uint)levelMask) + 1) * (32 + 2));
        }

        var byteLength = (d2 + 1) / 2;
        var data = reader.ReadBytes(byteLength).ToArray();
        var bitLength = byteLength * 8;
        if (d2 % 2 == 1)
        {
            // The last byte carries a completion tag: a 1 bit after the data, then zeros.
            var last = data[^1];
            if (last == 0)
            {
                throw new BocFormatException($"cell {index} has a padded last byte without a completion bit.");
            }

            var padding = BitOperations.TrailingZeroCount(last) + 1;
            if (padding == 8)
            {
                // A whole byte of padding is a non-canonical encoding of a byte-aligned cell (even d2).
                throw new BocFormatException($"cell {index} pads a whole byte.");
            }

            bitLength -= padding;
            data[^1] = (byte)(last & (0xff << padding));
        }

        var refs = new int[refCount];
        for (var r = 0; r < refCount; r++)
        {
            var target = (long)reader.ReadUInt(sizeBytes);
            if (target <= index || target >= cellCount)
            {
                throw new BocFormatException($"cell {index} references cell {target}: references must point forward.");
            }

            refs[r] = (int)target;
        }

        return new RawCell(data, bitLength, refs, (d1 & 8) != 0, levelMask);
    }

    private static (List<Cell> Cells, List<int[]> RefIndexes) TopologicalOrder(Cell root)
    {
        // @ton/core's order: a depth-first post-order from the root that visits references last to first,
        // reversed. Equal cells (same hash) are one entry.
        var postOrder = new List<Cell>();
        var visited = new HashSet<Cell>();
        Visit(root);
        postOrder.Reverse();

        var indexes = new Dictionary<Cell, int>(postOrder.Count);
        for (var i = 0; i < postOrder.Count; i++)
        {
            indexes[postOrder[i]] = i;
        }

        var refIndexes = postOrder.Select(cell => cell.RefsArray.Select(child => indexes[child]).ToArray()).ToList();
        return (postOrder, refIndexes);

        void Visit(Cell cell)
        {
            if (!visited.Add(cell))
            {
                return;
            }

            for (var i = cell.RefsArray.Length - 1; i >= 0; i--)
            {
                Visit(cell.RefsArray[i]);
            }

            postOrder.Add(cell);
        }
    }

    private static int BytesFor(long value) => (64 - BitOperations.LeadingZeroCount((ulong)value) + 7) / 8;

    private static void WriteUInt(byte[] output, ref int position, ulong value, int bytes)
    {
        for (var i = bytes - 1; i >= 0; i--)
        {
            output[position++] = (byte)(value >> (i * 8));
        }
    }

    private readonly record struct RawCell(byte[] Data, int BitLength, int[] Refs, bool Exotic, int LevelMask);

    private ref struct Reader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _source = source;

        public int Position { get; private set; }

        public byte ReadByte() => ReadBytes(1)[0];

        public ulong ReadUInt(int bytes)
        {
            var span = ReadBytes(bytes);
            ulong value = 0;
            foreach (var b in span)
            {
                value = (value << 8) | b;
            }

            return value;
        }

        public ReadOnlySpan<byte> ReadBytes(int count)
        {
            if (count < 0 || count > _source.Length - Position)
            {
                throw new BocFormatException($"truncated: need {count} bytes at offset {Position}, {_source.Length - Position} left.");
            }

            var span = _source.Slice(Position, count);
            Position += count;
            return span;
        }

        public void Skip(int count) => ReadBytes(count);
    }
}
