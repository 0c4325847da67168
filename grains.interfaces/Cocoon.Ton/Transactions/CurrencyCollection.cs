using System.Numerics;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Transactions;

/// <summary><c>currencies$_ grams:Grams other:(HashmapE 32 (VarUInteger 32))</c>: nanotons and extra currencies by id.</summary>
public sealed record CurrencyCollection(UInt128 Grams, IReadOnlyDictionary<uint, BigInteger> Extra)
{
    public static CurrencyCollection Load(CellSlice slice)
    {
        var grams = slice.LoadCoins();
        var dict = slice.LoadDict();
        if (dict is null)
        {
            return new CurrencyCollection(grams, Empty);
        }

        var extra = HashmapE.Parse(dict, 32, value => value.LoadVarUIntBig(5))
            .ToDictionary(entry => (uint)entry.Key, entry => entry.Value);
        return new CurrencyCollection(grams, extra);
    }

    private static readonly IReadOnlyDictionary<uint, BigInteger> Empty = new Dictionary<uint, BigInteger>();
}
