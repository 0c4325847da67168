using CsCheck;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

public sealed class BocPropertyTests
{
    [Fact]
    public void Parse_of_serialize_is_identity_in_every_form()
    {
        Gen.Int.Sample(seed =>
        {
            var cell = RandomCells.Build(seed);
            foreach (var (index, crc) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var boc = Boc.Serialize(cell, index, crc);
                var parsed = Boc.DeserializeSingle(boc);
                Assert.Equal(cell, parsed);
                Assert.Equal(cell.Depth, parsed.Depth);
                Assert.Equal(cell.LevelMask, parsed.LevelMask);
                Assert.Equal(boc, Boc.Serialize(parsed, index, crc));
            }
        }, iter: 300);
    }

    [Fact]
    public void Random_bytes_are_rejected_with_the_typed_exception_only()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => AssertParsesOrRejects(bytes), iter: 3000);
    }

    [Fact]
    public void Random_bytes_behind_a_valid_magic_are_rejected_with_the_typed_exception_only()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 2]).Sample(t =>
        {
            var (tail, variant) = t;
            byte[] magic = variant switch
            {
                0 => [0xb5, 0xee, 0x9c, 0x72],
                1 => [0x68, 0xff, 0x65, 0xf3],
                _ => [0xac, 0xc3, 0xa7, 0x28],
            };
            AssertParsesOrRejects([.. magic, .. tail]);
        }, iter: 3000);
    }

    [Fact]
    public void Mutated_valid_bocs_are_parsed_or_rejected_with_the_typed_exception_only()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 8], Gen.Int, Gen.Bool).Sample(t =>
        {
            var (seed, flips, where, indexed) = t;
            var boc = Boc.Serialize(RandomCells.Build(seed), indexed, withCrc32C: false);
            var random = new Random(where);
            for (var i = 0; i < flips; i++)
            {
                boc[random.Next(boc.Length)] ^= (byte)(1 << random.Next(8));
            }

            AssertParsesOrRejects(boc);
            AssertParsesOrRejects(boc[..random.Next(boc.Length)]);
        }, iter: 2000);
    }

    [Fact]
    public void Any_single_bit_flip_under_crc_is_detected()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample(t =>
        {
            var boc = Boc.Serialize(RandomCells.Build(t.Item1), withCrc32C: true);
            var bit = (int)((uint)t.Item2 % (uint)(boc.Length * 8));
            boc[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.Throws<BocFormatException>(() => Boc.Deserialize(boc));
        }, iter: 500);
    }

    [Theory]
    [InlineData("b5ee9c72010101010002000000ff")] // trailing byte
    [InlineData("b5ee9c720101010100020000")] // truncated
    [InlineData("b5ee9c72010101010002000001")] // padded byte without completion bit... d2=0 with data
    [InlineData("b5ee9c7201010201000500010000")] // reference to itself
    [InlineData("b5ee9c72010101000002000000")] // zero roots
    [InlineData("b5ee9c72010101010002000280")] // whole padding byte (non-canonical)
    [InlineData("b5ee9c720101010100020800")] // exotic cell without type byte
    [InlineData("00000000")]
    [InlineData("")]
    public void Malformed_bocs_are_rejected(string hex)
    {
        Assert.Throws<BocFormatException>(() => Boc.Deserialize(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Bad_crc_is_reported()
    {
        var boc = Cell.Empty.ToBoc(withCrc32C: true);
        boc[^1] ^= 1;
        Assert.Contains("CRC32C", Assert.Throws<BocFormatException>(() => Boc.Deserialize(boc)).Message);
    }

    [Fact]
    public void Text_decoding_accepts_hex_and_both_base64_alphabets()
    {
        var cell = new CellBuilder().StoreUInt(0xfbff_fefe, 32).StoreRef(Cell.Empty).Build();
        var boc = cell.ToBoc();
        var base64 = Convert.ToBase64String(boc);

        Assert.Equal(cell, Cell.FromBoc(Convert.ToHexStringLower(boc)));
        Assert.Equal(cell, Cell.FromBoc(Convert.ToHexString(boc)));
        Assert.Equal(cell, Cell.FromBoc(base64));
        Assert.Equal(cell, Cell.FromBoc(base64.Replace('+', '-').Replace('/', '_').TrimEnd('=')));
        Assert.Throws<BocFormatException>(() => Cell.FromBoc("not a boc!"));
        Assert.Throws<BocFormatException>(() => Cell.FromBoc(" "));
    }

    private static void AssertParsesOrRejects(byte[] bytes)
    {
        try
        {
            foreach (var root in Boc.Deserialize(bytes))
            {
                // Whatever parses must serialize again and parse to the same cell.
                Assert.Equal(root, Boc.DeserializeSingle(root.ToBoc()));
            }
        }
        catch (BocFormatException)
        {
        }
    }
}
