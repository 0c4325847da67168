using System.Numerics;

namespace Cocoon.Ton.Cells;

/// <summary>
/// Reads TL-B dictionaries (<c>HashmapE n X</c>): a Patricia tree of edges with compressed labels
/// (<c>hml_short</c> unary length, <c>hml_long</c> explicit length, <c>hml_same</c> repeated bit) and forks by reference.
/// </summary>
public static class HashmapE
{
    /// <summary>
    /// Reads every entry of a dictionary with <paramref name="keyBits"/>-bit keys, in key order. The reader gets a
    /// slice positioned at the value; a null root is the empty dictionary.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<BigInteger, T>> Parse<T>(Cell? root, int keyBits, Func<CellSlice, T> readValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyBits);
        ArgumentNullException.ThrowIfNull(readValue);
        var entries = new List<KeyValuePair<BigInteger, T>>();
        if (root is not null)
        {
            ReadEdge(root.BeginParse(), keyBits, BigInteger.Zero, entries, readValue);
        }

        return entries;
    }

    private static void ReadEdge<T>(CellSlice slice, int remaining, BigInteger prefix, List<KeyValuePair<BigInteger, T>> entries,
        Func<CellSlice, T> readValue)
    {
        var (labelLength, label) = ReadLabel(slice, remaining);
        prefix = (prefix << labelLength) | label;
        remaining -= labelLength;
        if (remaining == 0)
        {
            entries.Add(new KeyValuePair<BigInteger, T>(prefix, readValue(slice)));
            return;
        }

        var left = slice.LoadRef();
        var right = slice.LoadRef();
        ReadEdge(left.BeginParse(), remaining - 1, prefix << 1, entries, readValue);
        ReadEdge(right.BeginParse(), remaining - 1, (prefix << 1) | BigInteger.One, entries, readValue);
    }

    private static (int Length, BigInteger Label) ReadLabel(CellSlice slice, int maxLength)
    {
        if (!slice.LoadBit())
        {
            // hml_short$0: length in unary (ones then a zero), then the bits.
            var length = 0;
            while (slice.LoadBit())
            {
                length++;
                if (length > maxLength)
                {
                    throw new TonFormatException($"Dictionary label longer than the {maxLength} key bits left.");
                }
            }

            return (length, slice.LoadUIntBig(length));
        }

        var lengthBits = BitLength(maxLength);
        if (!slice.LoadBit())
        {
            // hml_long$10: explicit length, then the bits.
            var length = (int)slice.LoadUInt(lengthBits);
            CheckLength(length, maxLength);
            return (length, slice.LoadUIntBig(length));
        }

        // hml_same$11: one bit repeated.
        var bit = slice.LoadBit();
        var count = (int)slice.LoadUInt(lengthBits);
        CheckLength(count, maxLength);
        return (count, bit ? (BigInteger.One << count) - 1 : BigInteger.Zero);
    }

    private static void CheckLength(int length, int maxLength)
    {
        if (length > maxLength)
        {
            throw new TonFormatException($"Dictionary label of {length} bits is longer than the {maxLength} key bits left.");
        }
    }

    /// <summary>Bits of <c>#&lt;= m</c>: enough to write m.</summary>
    private static int BitLength(int max) => max == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)max);
}
