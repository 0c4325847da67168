using CsCheck;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Transactions;

namespace Cocoon.Ton.Tests.Transactions;

/// <summary>Transactions come from a third-party API: damaged ones must fail with the typed exception, nothing else.</summary>
public sealed class TransactionFuzzTests
{
    private static readonly Lazy<byte[][]> Bocs = new(() => SandboxFixture.TransactionNames
        .Select(name => Cell.FromBoc(SandboxFixture.Transaction(name).GetProperty("boc").GetString()!).ToBoc())
        .ToArray());

    [Fact]
    public void Bit_flipped_transactions_parse_or_fail_with_the_typed_exception_only()
    {
        Gen.Select(Gen.Int[0, Bocs.Value.Length - 1], Gen.Int[1, 6], Gen.Int).Sample(t =>
        {
            var (which, flips, seed) = t;
            var boc = (byte[])Bocs.Value[which].Clone();
            var random = new Random(seed);
            for (var i = 0; i < flips; i++)
            {
                // Leave the header alone so that most mutations reach the TL-B reader.
                var position = random.Next(Math.Min(boc.Length - 1, 20), boc.Length);
                boc[position] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                var tx = Transaction.FromBoc(boc);
                _ = tx.InMessage?.Comment;
                _ = tx.OutMessages.Select(m => m.Comment).ToList();
            }
            catch (TonFormatException)
            {
            }
        }, iter: 3000);
    }

    [Fact]
    public void Transaction_cells_cut_short_fail_with_the_typed_exception_only()
    {
        Gen.Select(Gen.Int[0, Bocs.Value.Length - 1], Gen.Int).Sample(t =>
        {
            var root = Boc.DeserializeSingle(Bocs.Value[t.Item1]);
            var random = new Random(t.Item2);
            var cut = Truncate(root, random, 0);
            try
            {
                Transaction.Load(cut);
            }
            catch (TonFormatException)
            {
            }
        }, iter: 1000);
    }

    /// <summary>Rebuilds a cell tree with one randomly chosen cell losing some trailing bits or references.</summary>
    private static Cell Truncate(Cell cell, Random random, int depth)
    {
        var builder = new CellBuilder();
        var cutHere = random.Next(4 + depth) == 0;
        var bits = cutHere ? random.Next(cell.BitLength + 1) : cell.BitLength;
        builder.StoreBits(cell.Data, 0, bits);
        var refs = cutHere ? random.Next(cell.Refs.Count + 1) : cell.Refs.Count;
        for (var i = 0; i < refs; i++)
        {
            builder.StoreRef(cutHere ? cell.Refs[i] : Truncate(cell.Refs[i], random, depth + 1));
        }

        return builder.Build();
    }
}
