using System.ClientModel;
using Cocoon.Client.Tests.Hosting;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Cocoon.Client.Tests.Serve;

/// <summary>The official OpenAI .NET SDK as the caller: what an application pointed at `cocoon serve` sees.</summary>
[Collection(SiloCollection.Name)]
public sealed class OpenAiSdkTests(SiloFixture fixture) : IAsyncLifetime
{
    private ServeEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await ServeEndpoint.StartAsync(fixture.Client);

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = _endpoint.V1 };

    private ChatClient Chat(string model = "echo") => new(model, new ApiKeyCredential("unused-without-keys"), Options);

    [Fact]
    public async Task Chat_completion_returns_text_usage_cost_and_finish_reason_length()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync(
            [new UserChatMessage("one two three")],
            new ChatCompletionOptions { MaxOutputTokenCount = 4, Temperature = 0 });

        Assert.Equal("one two three one", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + 4, completion.Usage.TotalTokenCount);
        Assert.StartsWith("chatcmpl-", completion.Id);
        var jobId = completion.Id["chatcmpl-".Length..];
        var job = await fixture.Client.GetJobAsync(jobId);
        Assert.Equal(Cocoon.Jobs.JobPhase.Completed, job.Phase);
        Assert.Equal(4, job.CompletionTokens);
    }

    [Fact]
    public async Task Streaming_chat_sends_token_chunks_then_a_usage_chunk()
    {
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var chunks = 0;
        await foreach (var update in Chat().CompleteChatStreamingAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage("alpha beta")],
            new ChatCompletionOptions { MaxOutputTokenCount = 3 }))
        {
            chunks++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.True(chunks >= 3 + 2, $"only {chunks} chunks");
        Assert.NotEmpty(text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.True(usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Models_lists_echo_with_its_workers()
    {
        var models = new OpenAIModelClient(new ApiKeyCredential("unused-without-keys"), Options);
        OpenAIModelCollection list = await models.GetModelsAsync();

        Assert.Contains(list, m => m.Id == "echo" && m.OwnedBy == "cocoon");
        Assert.Contains(list, m => m.Id == TestSilo.UnservedModel);

        using var http = new HttpClient();
        using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(_endpoint.BaseUrl + "/v1/models"));
        var echo = json.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "echo");
        var worker = echo.GetProperty("workers").EnumerateArray().First();
        Assert.Equal("local-gpu-0", worker.GetProperty("id").GetString());
        Assert.True(worker.GetProperty("coefficient").GetInt32() > 0);
        Assert.True(worker.TryGetProperty("running", out _));
        var unserved = json.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == TestSilo.UnservedModel);
        Assert.Empty(unserved.GetProperty("workers").EnumerateArray());
    }

    [Fact]
    public async Task Unknown_model_raises_the_sdk_error_with_status_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, error.Status);
    }
}
