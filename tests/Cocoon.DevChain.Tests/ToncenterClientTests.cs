using System.Net;
using System.Numerics;
using System.Text.Json;
using Cocoon.Ton.Toncenter;

namespace Cocoon.DevChain.Tests;

public sealed class ToncenterClientTests
{
    private const string MasterchainJson = """
        {"ok":true,"result":{"@type":"blocks.masterchainInfo",
          "last":{"@type":"ton.blockIdExt","workchain":-1,"shard":"-9223372036854775808","seqno":42,"root_hash":"cg==","file_hash":"Zg=="},
          "state_root_hash":"cw==",
          "init":{"@type":"ton.blockIdExt","workchain":-1,"shard":"-9223372036854775808","seqno":0,"root_hash":"aQ==","file_hash":"ag=="}}}
        """;

    private static ToncenterOptions Options(int maxAttempts = 4, string? apiKey = null) => new()
    {
        BaseUrl = new Uri("http://toncenter.test/api/v2/"),
        ApiKey = apiKey,
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_until_success()
    {
        var handler = new ScriptedHandler(
            ScriptedHandler.Json(HttpStatusCode.TooManyRequests, """{"ok":false,"error":"Ratelimit exceed","code":429}""", TimeSpan.Zero),
            ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, """{"ok":false,"error":"LITE_SERVER_NETWORK timeout","code":503}"""),
            ScriptedHandler.Text(HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>"),
            ScriptedHandler.Throw(new HttpRequestException("connection reset")),
            ScriptedHandler.Json(HttpStatusCode.OK, MasterchainJson));
        using var client = new ToncenterClient(Options(maxAttempts: 5), handler);

        var info = await client.GetMasterchainInfoAsync();

        Assert.Equal(42u, info.Last.Seqno);
        Assert.Equal(long.MinValue, info.Last.Shard);
        Assert.Equal(5, handler.Requests.Count);
    }

    [Fact]
    public async Task Attempts_are_bounded_and_the_last_failure_is_reported()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.InternalServerError, """{"ok":false,"error":"internal","code":500}"""));
        using var client = new ToncenterClient(Options(maxAttempts: 3), handler);

        var error = await Assert.ThrowsAsync<ToncenterException>(() => client.GetMasterchainInfoAsync());

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.Equal(500, error.Code);
        Assert.Equal("internal", error.Error);
        Assert.Contains("after 3 attempts", error.Message);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.UnprocessableEntity, """{"ok":false,"error":"Incorrect address","code":422}"""));
        using var client = new ToncenterClient(Options(), handler);

        var error = await Assert.ThrowsAsync<ToncenterException>(() => client.GetAddressInformationAsync("EQbad"));

        Assert.Single(handler.Requests);
        Assert.False(error.IsTransient);
        Assert.Equal(422, error.Code);
        Assert.Equal("Incorrect address", error.Error);
        Assert.Equal("getAddressInformation", error.Method);
    }

    [Fact]
    public async Task A_rejected_external_is_not_retried_even_with_code_500()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.InternalServerError,
            """{"ok":false,"error":"LITE_SERVER_UNKNOWN: cannot apply external message to current state : External message was not accepted","code":500}"""));
        using var client = new ToncenterClient(Options(), handler);

        var error = await Assert.ThrowsAsync<ToncenterException>(() => client.SendBocReturnHashAsync("te6cckEBAQEAAgAAAEysuc0="));

        Assert.Single(handler.Requests);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_slow_server_counts_as_a_transient_timeout()
    {
        var handler = new SlowHandler();
        using var client = new ToncenterClient(Options(maxAttempts: 2) with { Timeout = TimeSpan.FromMilliseconds(50) }, handler);

        var error = await Assert.ThrowsAsync<ToncenterException>(() => client.GetMasterchainInfoAsync());

        Assert.True(error.IsTransient);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("no response", error.Error);
    }

    [Fact]
    public async Task The_caller_cancelling_stops_at_once()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var client = new ToncenterClient(Options(), new SlowHandler());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetMasterchainInfoAsync(cts.Token));
    }

    [Fact]
    public async Task The_api_key_goes_in_the_X_API_Key_header_and_queries_are_escaped()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.OK, """{"ok":true,"result":[]}"""));
        using var client = new ToncenterClient(Options(apiKey: "secret-key"), handler);

        await client.GetTransactionsAsync("EQA+/=", limit: 5, lt: 123, hash: "ab+/=", toLt: 7);

        var request = Assert.Single(handler.Requests).Request;
        Assert.Equal("secret-key", Assert.Single(request.Headers.GetValues("X-API-Key")));
        Assert.Equal("/api/v2/getTransactions", request.RequestUri!.AbsolutePath);
        Assert.Equal("?address=EQA%2B%2F%3D&limit=5&lt=123&hash=ab%2B%2F%3D&to_lt=7", request.RequestUri.Query);
    }

    [Fact]
    public async Task Get_method_stacks_are_sent_and_read_in_toncenter_format()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.OK, """
            {"ok":true,"result":{"@type":"smc.runResult","gas_used":1021,"exit_code":0,"stack":[
              ["num","-0x1f"],
              ["cell",{"bytes":"te6cckEBAQEAAgAAAEysuc0=","object":{}}],
              ["tuple",{"@type":"tvm.tuple","elements":[
                {"@type":"tvm.stackEntryNumber","number":{"@type":"tvm.numberDecimal","number":"123456789012345678901234567890"}},
                {"@type":"tvm.stackEntrySlice","slice":{"@type":"tvm.slice","bytes":"te6cckEBAQEAAgAAAEysuc0="}}]}]]}}
            """));
        using var client = new ToncenterClient(Options(), handler);

        var result = await client.RunGetMethodAsync("EQaddr", "get_data", [TvmStackEntry.Number(BigInteger.Parse("-300")), TvmStackEntry.Cell("te6cckEBAQEAAgAAAEysuc0=")]);

        using var sent = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.Equal("get_data", sent.RootElement.GetProperty("method").GetString());
        Assert.Equal("""[["num","-0x12c"],["tvm.Cell","te6cckEBAQEAAgAAAEysuc0="]]""", sent.RootElement.GetProperty("stack").GetRawText());
        Assert.True(result.Succeeded);
        Assert.Equal(1021, result.GasUsed);
        Assert.Equal(-31, (int)result.Stack[0].AsNumber());
        Assert.Equal("te6cckEBAQEAAgAAAEysuc0=", Assert.IsType<TvmStackCell>(result.Stack[1]).Boc);
        var tuple = Assert.IsType<TvmStackTuple>(result.Stack[2]);
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), tuple.Items[0].AsNumber());
        Assert.IsType<TvmStackSlice>(tuple.Items[1]);
    }

    [Fact]
    public async Task Transactions_in_mainnet_toncenter_shape_are_parsed()
    {
        // The shape toncenter.com returns: numbers as strings, comments base64 in msg.dataText, no raw body for text.
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.OK, """
            {"ok":true,"result":[{"@type":"raw.transaction",
              "address":{"@type":"accountAddress","account_address":"EQCD39VS5jcptHL8vMjEXrzGaRcCVYto7HUn4bpAOg8xqB2N"},
              "utime":1700000000,"data":"te6cckEBAQEAAgAAAEysuc0=",
              "transaction_id":{"@type":"internal.transactionId","lt":"41000000000001","hash":"q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="},
              "fee":"1000","storage_fee":"10","other_fee":"990",
              "in_msg":{"@type":"raw.message","source":"EQAvDfWFG0oYX19jwNDNBBL1rKNT9XfaGP9HyTb5nb2Eml6y","destination":"EQCD39VS5jcptHL8vMjEXrzGaRcCVYto7HUn4bpAOg8xqB2N",
                "value":"2500000000","fwd_fee":"266669","ihr_fee":"0","created_lt":"41000000000000","body_hash":"bA==",
                "msg_data":{"@type":"msg.dataText","text":"ZGVwb3NpdDphbGljZQ=="},"message":"deposit:alice"},
              "out_msgs":[{"@type":"raw.message","source":"EQCD39VS5jcptHL8vMjEXrzGaRcCVYto7HUn4bpAOg8xqB2N","destination":"",
                "value":"0","fwd_fee":"0","ihr_fee":"0","created_lt":"41000000000002","body_hash":"bQ==",
                "msg_data":{"@type":"msg.dataRaw","body":"te6cckEBAQEAAgAAAEysuc0=","init_state":""},"message":""}]}]}
            """));
        using var client = new ToncenterClient(Options(), handler);

        var tx = Assert.Single(await client.GetTransactionsAsync("EQCD39VS5jcptHL8vMjEXrzGaRcCVYto7HUn4bpAOg8xqB2N"));

        Assert.Equal(41000000000001UL, tx.TransactionId.Lt);
        Assert.Equal(32, tx.TransactionId.HashBytes().Length);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), tx.Time);
        Assert.Equal(1000, tx.Fee);
        Assert.Equal(2_500_000_000, tx.InMessage!.Value);
        Assert.Equal("deposit:alice", tx.InMessage.Comment);
        Assert.Null(tx.InMessage.Body);
        Assert.Null(tx.InMessage.Hash);
        var log = Assert.Single(tx.OutMessages);
        Assert.True(log.IsExternalOut);
        Assert.Null(log.Comment);
        Assert.Equal("te6cckEBAQEAAgAAAEysuc0=", log.Body);
    }

    [Fact]
    public async Task A_malformed_result_is_a_non_transient_error()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.OK, """{"ok":true,"result":{"balance":"lots"}}"""));
        using var client = new ToncenterClient(Options(), handler);

        var error = await Assert.ThrowsAsync<ToncenterException>(() => client.GetAddressInformationAsync("EQaddr"));

        Assert.False(error.IsTransient);
        Assert.Contains("unexpected response shape", error.Error);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new ToncenterClient(Options() with { MaxAttempts = 0 }));
        Assert.Throws<ArgumentException>(() => new ToncenterClient(Options() with { BaseUrl = new Uri("ftp://x/") }));
        Assert.Throws<ArgumentException>(() => new ToncenterClient(Options() with { Timeout = TimeSpan.Zero }));
    }

    private sealed class SlowHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
