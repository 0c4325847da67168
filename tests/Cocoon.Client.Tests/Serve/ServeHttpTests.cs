using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cocoon.Cli.Serve;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Serve;

/// <summary>The endpoint over raw HTTP: error bodies, headers, the legacy completions route and API keys.</summary>
[Collection(SiloCollection.Name)]
public sealed class ServeHttpTests(SiloFixture fixture) : IAsyncLifetime
{
    private ServeEndpoint _endpoint = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _endpoint = await ServeEndpoint.StartAsync(fixture.Client);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(string path, string body, string? key = null, ServeEndpoint? endpoint = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, (endpoint ?? _endpoint).BaseUrl + path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static void AssertError(JsonElement body, string? param)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.True(error.TryGetProperty("code", out _));
    }

    private const string Hi = """{"model":"echo","messages":[{"role":"user","content":"hi"}]""";

    [Fact]
    public async Task An_unknown_field_is_refused_with_400_naming_it()
    {
        var (status, body, _) = await Post("/v1/chat/completions", Hi + ""","temprature":0.5}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "temprature");
        Assert.Contains("temprature", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("tools", """[{"type":"function","function":{"name":"f"}}]""")]
    [InlineData("tool_choice", "\"auto\"")]
    [InlineData("n", "2")]
    [InlineData("logprobs", "true")]
    [InlineData("response_format", """{"type":"json_schema","json_schema":{"name":"x","schema":{}}}""")]
    public async Task Known_but_unsupported_fields_are_refused_with_400_saying_so(string field, string value)
    {
        var (status, body, _) = await Post("/v1/chat/completions", Hi + $",\"{field}\":{value}}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, field);
        Assert.Contains(field == "n" ? "'n' must be 1" : "not supported", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"model\":", null)]
    [InlineData("[1,2]", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"echo","messages":[]}""", "messages")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"stop":[1]}""", "stop")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"request_guid":"bad id"}""", "request_guid")]
    [InlineData("""{"model":"echo","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    public async Task Bad_json_or_invalid_values_get_400(string body, string? param)
    {
        var (status, error, _) = await Post("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(error, param);
    }

    [Fact]
    public async Task Unknown_model_gets_404_model_not_found()
    {
        var (status, body, _) = await Post("/v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Insufficient_funds_gets_402()
    {
        var (status, body, _) = await Post("/v1/chat/completions", Hi + ""","max_tokens":32768,"max_coefficient":2000000000}""");
        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.Equal("insufficient_funds", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completions_bill_the_cost_and_carry_timing_headers_and_the_request_guid_as_job_id()
    {
        var guid = "serve-" + Guid.NewGuid().ToString("N");
        var (status, body, response) = await Post("/v1/completions",
            $$"""{"model":"echo","prompt":"one two three","max_tokens":4,"stop":"never","seed":3,"user":"u1","request_guid":"{{guid}}","timeout":30}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("one two three one", choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(7_000, usage.GetProperty("cost_nano").GetInt64());
        Assert.Equal(guid, response.Headers.GetValues("X-Cocoon-Job-Id").Single());
        var times = new[] { "Client-Start", "Job-Start", "Node-Start", "Node-End", "Client-End" }
            .Select(n => long.Parse(response.Headers.GetValues($"X-Cocoon-{n}-Ms").Single())).ToArray();
        Assert.Equal(times.Order(), times);
        var job = await fixture.Client.GetJobAsync(guid);
        Assert.Equal(7_000, job.CostNano);
    }

    [Fact]
    public async Task Streaming_is_server_sent_events_ending_with_done()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.BaseUrl + "/v1/chat/completions")
        {
            Content = new StringContent(Hi + ""","max_tokens":2,"stream":true,"stream_options":{"include_usage":true}}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, l => Assert.StartsWith("data: ", l));
        Assert.Equal("data: [DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(2, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(chunks[^1].GetProperty("usage").GetProperty("cost_nano").GetInt64() > 0);
    }

    [Fact]
    public async Task With_api_keys_a_bearer_key_is_required_and_bills_its_account()
    {
        var key = "sk-test-" + Guid.NewGuid().ToString("N");
        var keys = ApiKeys.Parse([$"# test keys", $"{ApiKeys.Hash(key)} {fixture.DevAccount}"]);
        await using var secured = await ServeEndpoint.StartAsync(fixture.Client, keys);
        var body = Hi + ""","max_tokens":1}""";

        var (missing, missingBody, _) = await Post("/v1/chat/completions", body, endpoint: secured);
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal("invalid_api_key", missingBody.GetProperty("error").GetProperty("code").GetString());
        var (wrong, _, _) = await Post("/v1/chat/completions", body, key: "sk-wrong", endpoint: secured);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        var (ok, okBody, _) = await Post("/v1/chat/completions", body, key: key, endpoint: secured);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(1, okBody.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public void Without_keys_only_loopback_is_allowed_and_key_files_are_checked()
    {
        var error = Assert.Throws<FormatException>(() => OpenAiServer.Build(fixture.Client, "http://0.0.0.0:8080"));
        Assert.Contains("--api-keys", error.Message);
        Assert.Throws<FormatException>(() => ApiKeys.Parse(["not-a-hash dev"]));
        Assert.Throws<FormatException>(() => ApiKeys.Parse([$"{ApiKeys.Hash("k")} system:faucet"]));
        Assert.Throws<FormatException>(() => ApiKeys.Parse(["# nothing"]));
    }
}
