namespace Cocoon.Ton.Wallets;

/// <summary>
/// A highload v3 query id: a 13-bit shift (the dictionary key, 0..8191) and a 10-bit bit number (0..1022) in that
/// key's 1023-bit cell; 23 bits together. Each id can be processed once per timeout window, which makes resending
/// the identical external message safe.
/// </summary>
public readonly record struct HighloadQueryId
{
    public const int MaxShift = 8191;
    public const int MaxBitNumber = 1022;

    /// <summary>Ids available per timeout window: 8192 × 1023.</summary>
    public const long Capacity = (MaxShift + 1L) * (MaxBitNumber + 1L);

    public HighloadQueryId(int shift, int bitNumber)
    {
        if (shift is < 0 or > MaxShift)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"The shift is 0..{MaxShift}.");
        }

        if (bitNumber is < 0 or > MaxBitNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(bitNumber), bitNumber, $"The bit number is 0..{MaxBitNumber}.");
        }

        Shift = shift;
        BitNumber = bitNumber;
    }

    public int Shift { get; }

    public int BitNumber { get; }

    /// <summary>The 23-bit value stored in messages: shift &lt;&lt; 10 | bit number.</summary>
    public ulong Value => ((uint)Shift << 10) | (uint)BitNumber;

    /// <summary>The id's position in the sequence 0, 1, ... (shift × 1023 + bit number).</summary>
    public long Sequence => Shift * (MaxBitNumber + 1L) + BitNumber;

    public static HighloadQueryId FromValue(ulong value) =>
        value >> 23 != 0
            ? throw new ArgumentOutOfRangeException(nameof(value), value, "A query id has 23 bits.")
            : new HighloadQueryId((int)(value >> 10), (int)(value & 1023));

    public static HighloadQueryId FromSequence(long sequence) =>
        sequence is < 0 or >= Capacity
            ? throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"A query id sequence number is 0..{Capacity - 1}.")
            : new HighloadQueryId((int)(sequence / (MaxBitNumber + 1)), (int)(sequence % (MaxBitNumber + 1)));

    /// <summary>The following id; the very last id is kept free for an emergency, as the reference wrapper does.</summary>
    public HighloadQueryId Next()
    {
        if (Sequence + 1 >= Capacity - 1)
        {
            throw new InvalidOperationException("Highload query ids are exhausted for this timeout window.");
        }

        return FromSequence(Sequence + 1);
    }

    public override string ToString() => $"{Shift}:{BitNumber}";
}
