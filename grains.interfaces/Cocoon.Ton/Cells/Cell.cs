using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Ton.Cells;

/// <summary>
/// An immutable TVM cell: up to 1023 data bits and up to 4 references, with its representation hash and depth
/// computed once at construction (the DataCell algorithm of the TON node, including exotic cells' levels).
/// Two cells are equal when their representation hashes are.
/// </summary>
public sealed class Cell : IEquatable<Cell>
{
    public const int MaxBits = 1023;
    public const int MaxRefs = 4;

    /// <summary>The node refuses cells deeper than this (vm::CellTraits::max_depth).</summary>
    public const int MaxDepth = 1024;

    private readonly byte[] _data;
    private readonly Cell[] _refs;

    // One hash and depth per significant level (hash index = popcount of the level mask below that level).
    private readonly byte[][] _hashes;
    private readonly int[] _depths;

    public static Cell Empty { get; } = new([], 0, [], false);

    /// <summary>Creates a cell; <paramref name="data"/> holds <paramref name="bitLength"/> bits, zero beyond them, and is owned by the cell.</summary>
    internal Cell(byte[] data, int bitLength, Cell[] refs, bool exotic)
    {
        if (bitLength is < 0 or > MaxBits)
        {
            throw new TonFormatException($"A cell holds at most {MaxBits} bits, got {bitLength}.");
        }

        if (refs.Length > MaxRefs)
        {
            throw new TonFormatException($"A cell holds at most {MaxRefs} references, got {refs.Length}.");
        }

        _data = data;
        _refs = refs;
        BitLength = bitLength;
        Type = exotic ? ReadExoticType(data, bitLength) : CellType.Ordinary;
        LevelMask = ResolveLevelMask();
        (_hashes, _depths) = ComputeHashes();
        if (Depth > MaxDepth)
        {
            throw new TonFormatException($"Cell depth {Depth} exceeds the maximum of {MaxDepth}.");
        }
    }

    /// <summary>Creates an ordinary cell from whole bytes and references.</summary>
    public static Cell FromBytes(ReadOnlySpan<byte> data, params ReadOnlySpan<Cell> refs)
    {
        if (data.Length * 8 > MaxBits)
        {
            throw new CellOverflowException($"A cell holds at most {MaxBits} bits, got {data.Length * 8}.");
        }

        return new Cell(data.ToArray(), data.Length * 8, refs.ToArray(), false);
    }

    public int BitLength { get; }

    public CellType Type { get; }

    public bool IsExotic => Type != CellType.Ordinary;

    /// <summary>Bit i set: the cell depends on a pruned branch at level i + 1.</summary>
    public int LevelMask { get; }

    public int Level => 32 - BitOperations.LeadingZeroCount((uint)LevelMask);

    public IReadOnlyList<Cell> Refs => _refs;

    /// <summary>The data bits, packed big-endian; bits past <see cref="BitLength"/> in the last byte are zero.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The representation hash (the hash at the highest level), what BOC roots, addresses and signatures use.</summary>
    public ReadOnlySpan<byte> Hash => _hashes[^1];

    public string HashHex => Convert.ToHexStringLower(_hashes[^1]);

    public int Depth => _depths[^1];

    public ReadOnlySpan<byte> GetHash(int level) => _hashes[HashIndex(LevelMask, level)];

    public int GetDepth(int level) => _depths[HashIndex(LevelMask, level)];

    public CellSlice BeginParse() => new(this);

    public byte[] ToBoc(bool withIndex = false, bool withCrc32C = false) => Boc.Serialize(this, withIndex, withCrc32C);

    public static Cell FromBoc(ReadOnlySpan<byte> boc) => Boc.DeserializeSingle(boc);

    /// <summary>Reads a BOC written as hex (an even-length string of hex digits) or base64 (either alphabet).</summary>
    public static Cell FromBoc(string text) => Boc.DeserializeSingle(Boc.DecodeText(text));

    internal byte[] DataArray => _data;

    internal Cell[] RefsArray => _refs;

    public bool Equals(Cell? other) =>
        other is not null && (ReferenceEquals(this, other) || Hash.SequenceEqual(other.Hash));

    public override bool Equals(object? obj) => obj is Cell other && Equals(other);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Hash);

    /// <summary>The @ton/core debugging form: <c>x{HEX}</c> per cell, a trailing <c>_</c> marking a partial byte, references indented.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Describe(text, 0);
        return text.ToString();
    }

    private void Describe(StringBuilder text, int indent)
    {
        text.Append(' ', indent).Append("x{").Append(FormatBits()).Append('}');
        foreach (var child in _refs)
        {
            text.Append('\n');
            child.Describe(text, indent + 1);
        }
    }

    private string FormatBits()
    {
        if (BitLength % 4 == 0)
        {
            return Convert.ToHexString(_data)[..(BitLength / 4)];
        }

        // Pad to a nibble with a completion tag (a 1 then zeros), as TVM's dump does.
        var padded = new byte[(BitLength + 4 + 7) / 8];
        _data.CopyTo(padded, 0);
        padded[BitLength / 8] |= (byte)(0x80 >> (BitLength % 8));
        return Convert.ToHexString(padded)[..((BitLength + 3) / 4)] + "_";
    }

    internal static int HashIndex(int levelMask, int level) =>
        BitOperations.PopCount((uint)(levelMask & ((1 << Math.Min(level, 3)) - 1)));

    private static CellType ReadExoticType(byte[] data, int bitLength)
    {
        if (bitLength < 8)
        {
            throw new TonFormatException("An exotic cell needs at least 8 bits for its type.");
        }

        return data[0] switch
        {
            1 => CellType.PrunedBranch,
            2 => CellType.Library,
            3 => CellType.MerkleProof,
            4 => CellType.MerkleUpdate,
            var other => throw new TonFormatException($"Unknown exotic cell type {other}."),
        };
    }

    private int ResolveLevelMask()
    {
        switch (Type)
        {
            case CellType.Ordinary:
            {
                var mask = 0;
                foreach (var child in _refs)
                {
                    mask |= child.LevelMask;
                }

                return mask;
            }
            case CellType.PrunedBranch:
            {
                if (_refs.Length != 0 || BitLength < 16)
                {
                    throw new TonFormatException("A pruned branch cell has no references and at least 16 bits.");
                }

                var mask = _data[1];
                if (mask is 0 or > 7)
                {
                    throw new TonFormatException($"A pruned branch cell has level mask 1..7, got {mask}.");
                }

                var expected = 16 + BitOperations.PopCount(mask) * (256 + 16);
                if (BitLength != expected)
                {
                    throw new TonFormatException($"A pruned branch cell with mask {mask} has {expected} bits, got {BitLength}.");
                }

                return mask;
            }
            case CellType.Library:
                if (_refs.Length != 0 || BitLength != 8 + 256)
                {
                    throw new TonFormatException("A library cell has 264 bits and no references.");
                }

                return 0;
            case CellType.MerkleProof:
                if (_refs.Length != 1 || BitLength != 8 + 256 + 16)
                {
                    throw new TonFormatException("A Merkle proof cell has 280 bits and one reference.");
                }

                return _refs[0].LevelMask >> 1;
            case CellType.MerkleUpdate:
                if (_refs.Length != 2 || BitLength != 8 + 2 * (256 + 16))
                {
                    throw new TonFormatException("A Merkle update cell has 552 bits and two references.");
                }

                return (_refs[0].LevelMask | _refs[1].LevelMask) >> 1;
            default:
                throw new TonFormatException($"Unsupported cell type {Type}.");
        }
    }

    private (byte[][] Hashes, int[] Depths) ComputeHashes()
    {
        var hashCount = BitOperations.PopCount((uint)LevelMask) + 1;
        var hashes = new byte[hashCount][];
        var depths = new int[hashCount];
        var merkle = Type is CellType.MerkleProof or CellType.MerkleUpdate;
        var level = Level;

        if (Type == CellType.PrunedBranch)
        {
            // Lower-level hashes and depths are stored in the data; only the top one is computed.
            var stored = hashCount - 1;
            for (var i = 0; i < stored; i++)
            {
                hashes[i] = _data.AsSpan(2 + i * 32, 32).ToArray();
                depths[i] = BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(2 + stored * 32 + i * 2, 2));
            }

            hashes[stored] = ComputeRepresentationHash(level, null, merkle);
            depths[stored] = 0;
            return (hashes, depths);
        }

        var hashIndex = 0;
        for (var levelI = 0; levelI <= level; levelI++)
        {
            if (levelI != 0 && ((LevelMask >> (levelI - 1)) & 1) == 0)
            {
                continue;
            }

            var childLevel = merkle ? levelI + 1 : levelI;
            var depth = 0;
            foreach (var child in _refs)
            {
                depth = Math.Max(depth, child.GetDepth(childLevel));
            }

            if (_refs.Length > 0)
            {
                depth++;
            }

            hashes[hashIndex] = ComputeRepresentationHash(levelI, hashIndex == 0 ? null : hashes[hashIndex - 1], merkle);
            depths[hashIndex] = depth;
            hashIndex++;
        }

        return (hashes, depths);
    }

    private byte[] ComputeRepresentationHash(int levelI, byte[]? previousHash, bool merkle)
    {
        // d1 d2, data (or the previous level's hash), child depths, child hashes: at most 2 + 128 + 4 * 34 bytes.
        Span<byte> repr = stackalloc byte[2 + 128 + MaxRefs * 34];
        var length = 0;
        repr[length++] = DescriptorRefs(LevelMask & ((1 << levelI) - 1));
        repr[length++] = DescriptorBits(BitLength);
        if (previousHash is null)
        {
            length += WritePaddedData(repr[length..]);
        }
        else
        {
            previousHash.CopyTo(repr[length..]);
            length += 32;
        }

        var childLevel = merkle ? levelI + 1 : levelI;
        foreach (var child in _refs)
        {
            BinaryPrimitives.WriteUInt16BigEndian(repr[length..], (ushort)child.GetDepth(childLevel));
            length += 2;
        }

        foreach (var child in _refs)
        {
            child.GetHash(childLevel).CopyTo(repr[length..]);
            length += 32;
        }

        return SHA256.HashData(repr[..length]);
    }

    internal byte DescriptorRefs(int levelMask) => (byte)(_refs.Length + (IsExotic ? 8 : 0) + levelMask * 32);

    internal static byte DescriptorBits(int bitLength) => (byte)((bitLength + 7) / 8 + bitLength / 8);

    /// <summary>Writes the data bytes with the completion tag (a 1 bit after the last data bit) when not byte-aligned.</summary>
    internal int WritePaddedData(Span<byte> destination)
    {
        var bytes = (BitLength + 7) / 8;
        _data.AsSpan(0, bytes).CopyTo(destination);
        if (BitLength % 8 != 0)
        {
            destination[bytes - 1] |= (byte)(0x80 >> (BitLength % 8));
        }

        return bytes;
    }
}
