using System.Numerics;
using CsCheck;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

public sealed class CellTests
{
    [Fact]
    public void Integers_round_trip_through_builder_and_slice()
    {
        Gen.Select(Gen.Int[1, 257], Gen.Byte.Array[33], Gen.Bool).Sample(t =>
        {
            var (bits, bytes, negative) = t;
            var magnitude = new BigInteger(bytes, isUnsigned: true) % (BigInteger.One << (bits - 1));
            var signed = negative ? -magnitude - 1 : magnitude;
            var unsignedBits = Math.Min(bits, 256);
            var unsigned = new BigInteger(bytes, isUnsigned: true) % (BigInteger.One << unsignedBits);

            var slice = new CellBuilder().StoreInt(signed, bits).StoreUInt(unsigned, unsignedBits).Build().BeginParse();

            Assert.Equal(signed, slice.LoadIntBig(bits));
            Assert.Equal(unsigned, slice.LoadUIntBig(unsignedBits));
            slice.EndParse();
        }, iter: 500);
    }

    [Fact]
    public void Small_integers_and_coins_round_trip()
    {
        Gen.Select(Gen.Long, Gen.Int[1, 64], Gen.ULong).Sample(t =>
        {
            var (value, bits, coins) = t;
            var fitted = bits == 64 ? value : value >> (64 - bits);
            var slice = new CellBuilder().StoreInt(fitted, bits).StoreCoins((UInt128)coins).StoreUInt(coins, 64).Build().BeginParse();

            Assert.Equal(fitted, slice.LoadInt(bits));
            Assert.Equal((UInt128)coins, slice.LoadCoins());
            Assert.Equal(coins, slice.LoadUInt(64));
        }, iter: 500);
    }

    [Fact]
    public void Overflows_are_refused_by_the_builder_and_underflows_by_the_slice()
    {
        Assert.Throws<CellOverflowException>(() => new CellBuilder().StoreUInt(256, 8));
        Assert.Throws<CellOverflowException>(() => new CellBuilder().StoreInt(-129, 8));
        Assert.Throws<CellOverflowException>(() => new CellBuilder().StoreCoins(BigInteger.One << 120));
        Assert.Throws<CellOverflowException>(() => new CellBuilder().StoreBytes(new byte[128]));
        var full = new CellBuilder();
        for (var i = 0; i < 4; i++)
        {
            full.StoreRef(Cell.Empty);
        }

        Assert.Throws<CellOverflowException>(() => full.StoreRef(Cell.Empty));
        Assert.Throws<TonFormatException>(() => Cell.Empty.BeginParse().LoadBit());
        Assert.Throws<TonFormatException>(() => Cell.Empty.BeginParse().LoadRef());
    }

    [Fact]
    public void Addresses_round_trip_through_cells()
    {
        Gen.Select(Gen.Int[-128, 127], Gen.Byte.Array[32]).Sample(t =>
        {
            var address = new TonAddress(t.Item1, t.Item2);
            var slice = new CellBuilder().StoreAddress(address).StoreAddress(null).Build().BeginParse();

            Assert.Equal(address, slice.LoadAddress());
            Assert.Null(slice.LoadAddress());
            Assert.Equal(address, TonAddress.Parse(address.ToFriendly(testOnly: true)));
            Assert.Equal(address, TonAddress.Parse(address.ToRaw()));
        }, iter: 300);
    }

    [Fact]
    public void Random_address_strings_are_rejected_with_the_typed_exception_only()
    {
        Gen.String.Sample(text =>
        {
            try
            {
                TonAddress.Parse(text);
            }
            catch (AddressFormatException)
            {
            }
        }, iter: 2000);
        Gen.Char["0123456789abcdefABCDEF-_+/=:"].Array[48].Select(c => new string(c)).Sample(text =>
        {
            try
            {
                TonAddress.Parse(text);
            }
            catch (AddressFormatException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Long_comments_are_snake_encoded_and_read_back()
    {
        var text = string.Concat(Enumerable.Repeat("payout ünïcödé 🚀 ", 40));
        var cell = Cocoon.Ton.Messages.TextComment.Build(text);

        Assert.True(cell.Refs.Count == 1);
        Assert.True(Cocoon.Ton.Messages.TextComment.TryRead(cell, out var read));
        Assert.Equal(text, read);
    }

    [Fact]
    public void Pruned_branch_exposes_its_stored_lower_hashes_and_a_proof_over_it_has_level_zero()
    {
        var hidden = new CellBuilder().StoreUInt(42, 32).Build();
        var pruned = new CellBuilder().StoreUInt(1, 8).StoreUInt(1, 8).StoreBytes(hidden.Hash).StoreUInt((ulong)hidden.Depth, 16).Build(exotic: true);
        var root = new CellBuilder().StoreUInt(7, 8).StoreRef(pruned).Build();
        var proof = new CellBuilder().StoreUInt(3, 8).StoreBytes(root.GetHash(0)).StoreUInt((ulong)root.GetDepth(0), 16).StoreRef(root).Build(exotic: true);

        Assert.Equal(CellType.PrunedBranch, pruned.Type);
        Assert.Equal(1, pruned.Level);
        Assert.Equal(hidden.HashHex, Convert.ToHexStringLower(pruned.GetHash(0)));
        Assert.Equal(1, root.Level);
        Assert.Equal(new CellBuilder().StoreUInt(7, 8).StoreRef(hidden).Build().HashHex, Convert.ToHexStringLower(root.GetHash(0)));
        Assert.Equal(0, proof.Level);
        Assert.Equal(proof, Boc.DeserializeSingle(proof.ToBoc()));
    }

    [Fact]
    public void Malformed_exotic_cells_are_rejected()
    {
        Assert.Throws<TonFormatException>(() => new CellBuilder().StoreUInt(9, 8).Build(exotic: true));
        Assert.Throws<TonFormatException>(() => new CellBuilder().StoreUInt(1, 8).StoreUInt(1, 8).Build(exotic: true));
        Assert.Throws<TonFormatException>(() => new CellBuilder().StoreUInt(2, 8).Build(exotic: true));
        Assert.Throws<TonFormatException>(() => new CellBuilder().StoreUInt(3, 8).StoreBytes(new byte[34]).Build(exotic: true));
    }
}
