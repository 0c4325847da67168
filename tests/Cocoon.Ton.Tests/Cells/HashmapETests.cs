using System.Numerics;
using System.Text.Json;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

/// <summary>Dictionaries built by @ton/core (Fixtures/dictionaries.json) read back entry for entry.</summary>
public sealed class HashmapETests
{
    private static readonly Lazy<JsonElement> Cases = new(() =>
        JsonDocument.Parse(TestData.Fixture("dictionaries.json")).RootElement.GetProperty("cases"));

    public static TheoryData<string> Names() => new(Cases.Value.EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Names))]
    public void Dictionary_entries_match_the_reference_library(string name)
    {
        var fixture = Cases.Value.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var keyBits = fixture.GetProperty("keyBits").GetInt32();
        var varUInt = fixture.GetProperty("valueKind").GetString() == "varuint32";
        var root = Cell.FromBoc(fixture.GetProperty("boc").GetString()!);

        var entries = HashmapE.Parse(root, keyBits, slice => varUInt ? slice.LoadVarUIntBig(5) : slice.LoadUIntBig(32));

        var expected = fixture.GetProperty("entries").EnumerateArray()
            .Select(e => (Key: BigInteger.Parse(e.GetProperty("key").GetString()!), Value: BigInteger.Parse(e.GetProperty("value").GetString()!)))
            .ToList();
        Assert.Equal(expected, entries.Select(e => (e.Key, e.Value)).ToList());
    }

    [Fact]
    public void Empty_dictionary_has_no_entries_and_bad_labels_are_rejected()
    {
        Assert.Empty(HashmapE.Parse<int>(null, 32, _ => 0));
        // hml_same$11 with a length of 12 in an 8-bit key space.
        var bad = new CellBuilder().StoreUInt(0b11, 2).StoreBit(true).StoreUInt(12, 4).Build();
        Assert.Throws<TonFormatException>(() => HashmapE.Parse(bad, 8, s => s.LoadUInt(1)));
        // A fork without its two references.
        var truncated = new CellBuilder().StoreUInt(0b0, 1).StoreBit(false).Build();
        Assert.Throws<TonFormatException>(() => HashmapE.Parse(truncated, 15, s => s.LoadUInt(1)));
    }
}
