using System.CommandLine;
using System.Text.Json;
using Cocoon.Cli.Ton;

namespace Cocoon.Client.Tests.Ton;

/// <summary>
/// The <c>ton</c> commands invoked in-process with captured output. Expected values come from
/// shared/testdata/ton/vectors.json (generated with @ton/core 0.63.1 and @ton/ton 16.3.0).
/// </summary>
public sealed class TonCommandTests
{
    private const string EmptyCellBoc = "b5ee9c72010101010002000000";
    private const string EmptyCellHash = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";

    // vectors.json cells[2]: a root with 7 bits and one reference.
    private const string TwoCellBoc =
        "b5ee9c72010102010086000101310100ff72bcbd7ed2755607b0643d2a9eb6d540f5ff1bd4153a339d3c0b69152d39375dcda26df4657489ed4542d8a5105f35524bf32dce529767b514900f51859e341e4ce57c26fd28917b122e95a6b9efd50433ea34e5a901a8352bf45294ad3c3d535daa97b00611c3455421e5e08a9d5c2395403468f927ee4023afea54f795948f";
    private const string TwoCellBocIndexCrc =
        "te6ccsEBAgEAhgAEhgEBMQEA/3K8vX7SdVYHsGQ9Kp621UD1/xvUFToznTwLaRUtOTddzaJt9GV0ie1FQtilEF81UkvzLc5Sl2e1FJAPUYWeNB5M5Xwm/SiRexIulaa579UEM+o05akBqDUr9FKUrTw9U12ql7AGEcNFVCHl4IqdXCOVQDRo+SfuQCOv6lT3lZSPoEdpZQ==";

    // tests/Cocoon.Ton.Tests/Fixtures/sandbox-transactions.json "bounceAtGhost": executed by @ton/sandbox, read by @ton/core.
    private const string BouncingTransaction =
        "b5ee9c72410207010001960003b5742424242424242424242424242424242424242424242424242424242424242420000000000f42400000000000000000000000000000000000000000000000000000000000000000000000000000000006b49d2000002660411a680105060201e0020300cf6801a459c2aad4c6b39bb9705dd2b92b810220b2228bccf6b58e02116061b9f073bd00109090909090909090909090909090909090909090909090909090909090909090ee6b28000608235a0000000001c9c382d693a400000000003bb4b636103137bab731b2c00101df0400d75800848484848484848484848484848484848484848484848484848484848484848500348b38555a98d673772e0bba5725702044164451799ed6b1c0422c0c373e0e7790ee52be000608235a0000000001e84802d693a4007fffffff800000003bb4b636103137bab731b2c00082724805ce3e9300f5f48cefdad23d18ce4c67df08c50eb793a8c5282024a384bb4790aec8965afabb16ebc3cb9b408ebae71b618d78788bc80d09843593cac98da4001f04090ee6b28001c030208d330411ad40d46f5203";

    [Fact]
    public void Boc_prints_hash_depth_size_and_both_serializations()
    {
        var (code, output, error) = Invoke("ton", "boc", TwoCellBocIndexCrc, "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("292da4dab67fa2de96c38f1ed58028aaf2da8ae7df0af1aec8e18515ff482c17", json.GetProperty("hash").GetString());
        Assert.Equal(1, json.GetProperty("depth").GetInt32());
        Assert.Equal(7, json.GetProperty("bits").GetInt32());
        Assert.Equal(1, json.GetProperty("refs").GetInt32());
        Assert.Equal(2, json.GetProperty("cells").GetInt32());
        Assert.Equal(TwoCellBoc, json.GetProperty("boc").GetString());
        Assert.Equal(TwoCellBocIndexCrc, json.GetProperty("bocIndexCrc32cBase64").GetString());
    }

    [Fact]
    public void Boc_accepts_hex_and_url_safe_base64()
    {
        var urlSafe = Convert.ToBase64String(Convert.FromHexString(EmptyCellBoc)).Replace('+', '-').Replace('/', '_');

        foreach (var text in new[] { EmptyCellBoc, urlSafe })
        {
            var (code, output, _) = Invoke("ton", "boc", text, "--json");
            Assert.Equal(0, code);
            Assert.Equal(EmptyCellHash, JsonDocument.Parse(output).RootElement.GetProperty("hash").GetString());
        }
    }

    [Fact]
    public void Address_prints_every_form()
    {
        var (code, output, error) = Invoke("ton", "address", "kQCMQ0Ne2eq+PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8DnC", "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("0:8c43435ed9eabe3c0206d4285bddac6b133d19f4640d9bc5d3051e25e51a09f0", json.GetProperty("raw").GetString());
        Assert.Equal(0, json.GetProperty("workchain").GetInt32());
        Assert.Equal("EQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8IJI", json.GetProperty("bounceable").GetString());
        Assert.Equal("UQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8N-N", json.GetProperty("nonBounceable").GetString());
        Assert.Equal("kQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8DnC", json.GetProperty("testnetBounceable").GetString());
        Assert.True(json.GetProperty("inputTestOnly").GetBoolean());
    }

    [Fact]
    public void Address_of_the_masterchain_from_raw()
    {
        var (code, output, _) = Invoke("ton", "address", "-1:0d42e69178b7224e8c537f9937b87bf579803f3ad92cb1143615726f9aa66c65", "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(-1, json.GetProperty("workchain").GetInt32());
        Assert.Equal("Ef8NQuaReLciToxTf5k3uHv1eYA_OtkssRQ2FXJvmqZsZaHG", json.GetProperty("bounceable").GetString());
    }

    [Fact]
    public void Wallet_prints_the_addresses_of_every_wallet_kind()
    {
        var (code, output, error) = Invoke("ton", "wallet", "--public-key",
            "f6c450a16bb1c514e22f1977e390a3025599aa1e7b00068a6aacf2119484c1bd", "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("0:1867eadc85b6872b8214902bdcca5dd5f2ca5c0273bc20144236f4b76ab7be09", json.GetProperty("v4r2").GetProperty("raw").GetString());
        Assert.Equal("0:d22ce1556a6359cddcb82ee95c95c08110591145e67b5ac70108b030dcf839de", json.GetProperty("v5r1Mainnet").GetProperty("raw").GetString());
        Assert.Equal("0:b6c371fea1f9380d2790ca77ebe5f5220dd8958f16288bc3c6cd6f5977b5feb3", json.GetProperty("v5r1Testnet").GetProperty("raw").GetString());
        // Executed in @ton/sandbox for this key (tests/Cocoon.Ton.Tests/Fixtures/sandbox-transactions.json).
        Assert.Equal("0:62dc61b06b501ae98f1e03c88dc1e491e56513e3cea2844f7b864bd7d883f5d3", json.GetProperty("highloadV3").GetProperty("raw").GetString());
        Assert.Equal(0x10ad, json.GetProperty("highloadV3").GetProperty("subwalletId").GetInt32());
    }

    [Fact]
    public void Transaction_is_decoded_with_comment_phases_and_bounce()
    {
        var (code, output, error) = Invoke("ton", "transaction", BouncingTransaction, "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2bd4f0b3c5a87a1c16ef5d6e3147b7e3a8ac073736f09c77686f6c688376a0a3", json.GetProperty("hash").GetString());
        Assert.Equal("0:4242424242424242424242424242424242424242424242424242424242424242", json.GetProperty("account").GetString());
        Assert.Equal("16000000", json.GetProperty("lt").GetString());
        Assert.Equal("will bounce", json.GetProperty("inMessage").GetProperty("comment").GetString());
        Assert.True(json.GetProperty("description").GetProperty("aborted").GetBoolean());
        Assert.Equal("NoState", json.GetProperty("description").GetProperty("compute").GetProperty("reason").GetString());
        Assert.Equal("Ok", json.GetProperty("description").GetProperty("bounce").GetString());
        Assert.True(json.GetProperty("outMessages")[0].GetProperty("bounced").GetBoolean());
    }

    [Fact]
    public void Without_json_the_fields_are_printed_as_lines()
    {
        var (code, output, _) = Invoke("ton", "boc", EmptyCellBoc);

        Assert.Equal(0, code);
        Assert.Contains($"hash: {EmptyCellHash}", output);
    }

    [Theory]
    [InlineData("ton", "boc", "zz", "--json")]
    [InlineData("ton", "boc", "b5ee9c7201010101000200000", "--json")]
    [InlineData("ton", "boc", "b5ee9c72010101010002000001", "--json")]
    [InlineData("ton", "boc", "--json")]
    [InlineData("ton", "address", "EQCMQ0Ne2eq-PAIG1Chb3axrEz0Z9GQNm8XTBR4l5RoJ8IJJ", "--json")]
    [InlineData("ton", "address", "0:xyz", "--json")]
    [InlineData("ton", "address")]
    [InlineData("ton", "wallet", "--public-key", "abcd", "--json")]
    [InlineData("ton", "wallet", "--json")]
    [InlineData("ton", "transaction", "b5ee9c72010101010002000000", "--json")]
    [InlineData("ton", "transaction", "--json")]
    public void Bad_input_goes_to_stderr_with_exit_code_2(params string[] args)
    {
        var (code, output, error) = Invoke(args);

        Assert.Equal(TonCommand.BadInputExitCode, code);
        Assert.Empty(output);
        Assert.NotEmpty(error.Trim());
    }

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { TonCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
