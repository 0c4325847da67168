using System.Buffers.Binary;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Tests.Attestation;

public sealed class TdxQuoteParserTests
{
    [Fact]
    public void Trailing_padding_is_ignored()
    {
        var quote = TdxQuote.Parse(TestData.Bytes("tdx", "google-spr-e4.quote"));
        Assert.Equal(4974 - 39, quote.DeclaredLength);
        Assert.Contains("BEGIN CERTIFICATE", quote.PckChainPem);
    }

    [Fact]
    public void A_v5_quote_with_a_td10_body_parses()
    {
        // Rewrap phala.quote's v4 body as v5 body type 2: the layout parses (its signature no longer matches, of course).
        var v4 = TestData.Bytes("tdx", "phala.quote");
        var v5 = new byte[v4.Length + 6];
        v4.AsSpan(0, 48).CopyTo(v5);
        BinaryPrimitives.WriteUInt16LittleEndian(v5, 5);
        BinaryPrimitives.WriteUInt16LittleEndian(v5.AsSpan(48), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(v5.AsSpan(50), 584);
        v4.AsSpan(48).CopyTo(v5.AsSpan(54));
        var quote = TdxQuote.Parse(v5);
        Assert.Equal(5, quote.Version);
        Assert.Equal(2, quote.BodyType);
        Assert.Null(quote.Report.TeeTcbSvn2);
        Assert.Equal(TdxQuote.Parse(v4).Report.MrTd, quote.Report.MrTd);
        Assert.Equal(54 + 584, quote.SignedData.Length);
    }

    [Theory]
    [InlineData(0, 3, "unsupported quote version 3")]
    [InlineData(2, 3, "attestation key type")]
    [InlineData(4, 0, "not TDX")]
    public void Unsupported_headers_are_typed_errors(int offset, byte value, string message)
    {
        var bytes = TestData.Bytes("tdx", "phala.quote");
        bytes[offset] = value;
        if (offset == 4)
        {
            bytes[5] = 0;
        }
        var e = Assert.Throws<QuoteFormatException>(() => TdxQuote.Parse(bytes));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_v5_body_size_that_disagrees_with_its_type_is_refused()
    {
        var bytes = TestData.Bytes("tdx", "phala-outdated.quote");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(50), 584);
        Assert.Contains("does not match body type", Assert.Throws<QuoteFormatException>(() => TdxQuote.Parse(bytes)).Message);
    }

    [Fact]
    public void An_overlong_signature_length_is_refused_not_overrun()
    {
        var bytes = TestData.Bytes("tdx", "phala.quote");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48 + 584), 0xFFFFFFF0);
        Assert.Contains("exceeds", Assert.Throws<QuoteFormatException>(() => TdxQuote.Parse(bytes)).Message);
    }

    [Fact]
    public void A_collateral_folder_missing_a_part_is_a_typed_error()
    {
        var folder = Directory.CreateTempSubdirectory("cocoon-collateral-").FullName;
        try
        {
            File.Copy(TestData.Tdx("google-sample_tcbInfo_response"), Path.Combine(folder, "tcbinfo.json"));
            var e = Assert.Throws<Cocoon.Confidential.Collateral.CollateralFormatException>(() => Cocoon.Confidential.Collateral.CollateralLoader.Load(folder));
            Assert.Contains("tcbinfo-issuer-chain", e.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
