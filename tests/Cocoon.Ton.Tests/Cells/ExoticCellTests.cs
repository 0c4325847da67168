using System.Text.Json;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

/// <summary>Merkle proofs and updates with pruned branches built by @ton/core (Fixtures/exotic.json).</summary>
public sealed class ExoticCellTests
{
    private static readonly Lazy<JsonElement> Cases = new(() =>
        JsonDocument.Parse(TestData.Fixture("exotic.json")).RootElement.GetProperty("cases"));

    public static TheoryData<string> Names() => new(Cases.Value.EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Names))]
    public void Exotic_cell_hashes_and_depths_match_the_reference_at_every_level(string name)
    {
        var fixture = Cases.Value.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var boc = fixture.GetProperty("boc").GetString()!;
        var cell = Cell.FromBoc(boc);

        Assert.Equal(fixture.GetProperty("type").GetInt32(), (int)cell.Type);
        Assert.Equal(fixture.GetProperty("level").GetInt32(), cell.Level);
        Assert.Equal(fixture.GetProperty("hash").GetString(), cell.HashHex);
        Assert.Equal(fixture.GetProperty("depth").GetInt32(), cell.Depth);
        Assert.Equal(fixture.GetProperty("hash0").GetString(), Convert.ToHexStringLower(cell.GetHash(0)));
        Assert.Equal(fixture.GetProperty("depth0").GetInt32(), cell.GetDepth(0));
        var childHashes = fixture.GetProperty("childHashes").EnumerateArray().ToList();
        var childDepths = fixture.GetProperty("childDepths").EnumerateArray().ToList();
        for (var r = 0; r < cell.Refs.Count; r++)
        {
            for (var level = 0; level < 4; level++)
            {
                Assert.Equal(childHashes[r][level].GetString(), Convert.ToHexStringLower(cell.Refs[r].GetHash(level)));
                Assert.Equal(childDepths[r][level].GetInt32(), cell.Refs[r].GetDepth(level));
            }
        }

        Assert.Equal(boc, Convert.ToHexStringLower(cell.ToBoc()));
    }
}
