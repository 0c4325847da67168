using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

public sealed class CellVectorTests
{
    public static TheoryData<int> CellIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < TestData.Vectors.GetProperty("cells").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CellIndexes))]
    public void Vector_cell_parses_to_the_published_hash_depth_and_shape(int index)
    {
        var vector = TestData.Vectors.GetProperty("cells")[index];
        var cell = Boc.DeserializeSingle(Convert.FromHexString(vector.GetProperty("boc").GetString()!));

        Assert.Equal(vector.GetProperty("hash").GetString(), cell.HashHex);
        Assert.Equal(vector.GetProperty("depth").GetInt32(), cell.Depth);
        Assert.Equal(vector.GetProperty("rootBits").GetInt32(), cell.BitLength);
        Assert.Equal(vector.GetProperty("rootRefs").GetInt32(), cell.Refs.Count);
    }

    [Theory]
    [MemberData(nameof(CellIndexes))]
    public void Vector_cell_serializes_to_the_published_bytes_in_both_forms(int index)
    {
        var vector = TestData.Vectors.GetProperty("cells")[index];
        var plain = vector.GetProperty("boc").GetString()!;
        var indexed = vector.GetProperty("bocIdxCrc").GetString()!;
        var cell = Boc.DeserializeSingle(Convert.FromHexString(plain));

        Assert.Equal(plain, Convert.ToHexStringLower(Boc.Serialize(cell)));
        Assert.Equal(indexed, Convert.ToBase64String(Boc.Serialize(cell, withIndex: true, withCrc32C: true)));

        var fromIndexed = Boc.DeserializeSingle(Convert.FromBase64String(indexed));
        Assert.Equal(cell, fromIndexed);
        Assert.Equal(plain, Convert.ToHexStringLower(fromIndexed.ToBoc()));
    }

    [Theory]
    [MemberData(nameof(CellIndexes))]
    public void Vector_cell_rebuilt_through_builder_and_slice_has_the_same_hash(int index)
    {
        var vector = TestData.Vectors.GetProperty("cells")[index];
        var cell = Cell.FromBoc(vector.GetProperty("boc").GetString()!);

        Assert.Equal(cell.HashHex, Rebuild(cell).HashHex);
    }

    [Fact]
    public void Empty_cell_has_the_published_hash()
    {
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", Cell.Empty.HashHex);
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", new CellBuilder().Build().HashHex);
    }

    [Fact]
    public void Shared_sub_cell_is_written_once()
    {
        var shared = new CellBuilder().StoreUInt(0xdeadbeef, 32).Build();
        var root = new CellBuilder().StoreRef(shared).StoreRef(shared)
            .StoreRef(new CellBuilder().StoreRef(shared).Build()).Build();

        var parsed = Boc.DeserializeSingle(root.ToBoc());

        Assert.Equal(3, parsed.ToBoc()[6]); // cells_num with one-byte sizes: root, the middle cell, the shared one
        Assert.Equal(root, parsed);
        Assert.Same(parsed.Refs[0], parsed.Refs[1]);
    }

    [Fact]
    public void Crc32C_of_the_check_string_is_the_catalogued_value()
    {
        Assert.Equal(0xe3069283u, Boc.Crc32C("123456789"u8));
    }

    private static Cell Rebuild(Cell cell)
    {
        var slice = cell.BeginParse();
        var builder = new CellBuilder();
        while (slice.RemainingBits >= 8)
        {
            builder.StoreUInt(slice.LoadUInt(8), 8);
        }

        while (slice.RemainingBits > 0)
        {
            builder.StoreBit(slice.LoadBit());
        }

        while (slice.RemainingRefs > 0)
        {
            builder.StoreRef(Rebuild(slice.LoadRef()));
        }

        return builder.Build(cell.IsExotic);
    }
}
