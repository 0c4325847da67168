using Cocoon.Ton.Addresses;

namespace Cocoon.Ton.Tests.Addresses;

public sealed class AddressVectorTests
{
    public static TheoryData<int> AddressIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < TestData.Vectors.GetProperty("addresses").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AddressIndexes))]
    public void Raw_address_renders_every_published_friendly_form(int index)
    {
        var vector = TestData.Vectors.GetProperty("addresses")[index];
        var address = TonAddress.ParseRaw(vector.GetProperty("raw").GetString()!);

        Assert.Equal(vector.GetProperty("raw").GetString(), address.ToRaw());
        Assert.Equal(vector.GetProperty("bounceable").GetString(), address.ToFriendly());
        Assert.Equal(vector.GetProperty("nonBounceable").GetString(), address.ToFriendly(bounceable: false));
        Assert.Equal(vector.GetProperty("testnetBounceableStd").GetString(), address.ToFriendly(testOnly: true, urlSafe: false));
    }

    [Theory]
    [MemberData(nameof(AddressIndexes))]
    public void Every_published_form_parses_back_with_its_flags(int index)
    {
        var vector = TestData.Vectors.GetProperty("addresses")[index];
        var expected = TonAddress.ParseRaw(vector.GetProperty("raw").GetString()!);

        var bounceable = TonAddress.ParseFriendly(vector.GetProperty("bounceable").GetString()!);
        var nonBounceable = TonAddress.ParseFriendly(vector.GetProperty("nonBounceable").GetString()!);
        var testnet = TonAddress.ParseFriendly(vector.GetProperty("testnetBounceableStd").GetString()!);

        Assert.Equal(expected, bounceable.Address);
        Assert.True(bounceable.IsBounceable);
        Assert.False(bounceable.IsTestOnly);
        Assert.Equal(expected, nonBounceable.Address);
        Assert.False(nonBounceable.IsBounceable);
        Assert.Equal(expected, testnet.Address);
        Assert.True(testnet.IsTestOnly);
        Assert.True(testnet.IsBounceable);
        Assert.Equal(expected, TonAddress.Parse(vector.GetProperty("testnetBounceableStd").GetString()!));
    }

    [Fact]
    public void Crc16_xmodem_of_the_check_string_is_0x31c3()
    {
        Assert.Equal(0x31c3, Crc16.XModem("123456789"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0:abc")]
    [InlineData("0:8c43435ed9eabe3c0206d4285bddac6b133d19f4640d9bc5d3051e25e51a09fg")]
    [InlineData("300:8c43435ed9eabe3c0206d4285bddac6b133d19f4640d9bc5d3051e25e51a09f0")]
    [InlineData("x:8c43435ed9eabe3c0206d4285bddac6b133d19f4640d9bc5d3051e25e51a09f0")]
    [InlineData("0:1:2")]
    [InlineData("EQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8IJJ")] // checksum off by one
    [InlineData("EQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8II")] // too short
    [InlineData("kQCMQ0Ne2eq+PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8D-C")] // mixed alphabets
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void Bad_addresses_are_rejected_with_a_typed_error(string text)
    {
        Assert.Throws<AddressFormatException>(() => TonAddress.Parse(text));
        Assert.False(TonAddress.TryParse(text, out _));
    }

    [Fact]
    public void Unknown_tag_is_rejected_even_with_a_valid_checksum()
    {
        var address = TonAddress.ParseRaw("0:8c43435ed9eabe3c0206d4285bddac6b133d19f4640d9bc5d3051e25e51a09f0");
        var bytes = Convert.FromBase64String(address.ToFriendly(urlSafe: false));
        bytes[0] = 0x22;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(34), Crc16.XModem(bytes.AsSpan(0, 34)));

        var error = Assert.Throws<AddressFormatException>(() => TonAddress.Parse(Convert.ToBase64String(bytes)));
        Assert.Contains("tag", error.Message);
    }
}
