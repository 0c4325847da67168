using System.Net;
using System.Text;
using System.Text.Json;
using Cocoon.Benchmarks.Scenarios.Senders;

namespace Cocoon.Benchmarks.Tests.Cocoon;

public class HttpJobSenderTests
{
    /// <summary>Records the request and answers with a fixed status and body, as the endpoint would.</summary>
    private sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpMethod? Method { get; private set; }
        public Uri? Uri { get; private set; }
        public string RequestBody { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Method = request.Method;
            Uri = request.RequestUri;
            RequestBody = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The quick","refusal":null},"logprobs":null,"finish_reason":"length"}],
         "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":0},"cost_nano":1200}}
        """;

    private static HttpJobSender Sender(RecordingHandler handler) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:5999/") });

    [Fact]
    public async Task Posts_a_non_streaming_chat_completion_and_reads_the_usage()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, Completion);
        await using var sender = Sender(handler);

        var job = await sender.SendAsync("echo", "The quick brown fox", 8, CancellationToken.None);

        Assert.Equal("cocoon-http", sender.StepName);
        Assert.Equal(HttpMethod.Post, handler.Method);
        Assert.Equal("http://127.0.0.1:5999/v1/chat/completions", handler.Uri?.ToString());
        using var request = JsonDocument.Parse(handler.RequestBody);
        var root = request.RootElement;
        Assert.Equal("echo", root.GetProperty("model").GetString());
        Assert.Equal("user", root.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("The quick brown fox", root.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(8, root.GetProperty("max_tokens").GetInt32());
        Assert.False(root.GetProperty("stream").GetBoolean());
        Assert.Equal(new SentJob("The quick", 2, null), job);
    }

    [Fact]
    public async Task An_error_status_fails_the_job_under_its_code()
    {
        var handler = new RecordingHandler(HttpStatusCode.TooManyRequests, """{"error":{"message":"busy","type":"rate_limit"}}""");
        await using var sender = Sender(handler);

        var e = await Assert.ThrowsAsync<JobSendException>(() => sender.SendAsync("echo", "hi", 8, CancellationToken.None));

        Assert.Equal("429", e.Status);
        Assert.Contains("busy", e.Message);
    }

    [Fact]
    public async Task A_success_without_a_completion_fails_the_job()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"choices":[]}""");
        await using var sender = Sender(handler);

        var e = await Assert.ThrowsAsync<JobSendException>(() => sender.SendAsync("echo", "hi", 8, CancellationToken.None));

        Assert.Equal("bad-body", e.Status);
    }
}
