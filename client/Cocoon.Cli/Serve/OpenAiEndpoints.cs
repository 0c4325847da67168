using System.Text.Json;
using Cocoon.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Cli.Serve;

/// <summary>The routes of the OpenAI-compatible endpoint and how each answers, streamed (server-sent events) or whole.</summary>
public static class OpenAiEndpoints
{
    private const int MaxBodyBytes = 8 << 20;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext http) => Guarded(http, () => Complete(http, chat: true)));
        app.MapPost("/v1/completions", (HttpContext http) => Guarded(http, () => Complete(http, chat: false)));
        app.MapGet("/v1/models", (HttpContext http) => Guarded(http, () => Models(http)));
    }

    /// <summary>Runs a handler and answers its error in OpenAI's shape: as the body before the response started, as an event after.</summary>
    private static async Task Guarded(HttpContext http, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; the cancelled enumeration already cancelled its job.
        }
        catch (Exception e)
        {
            var error = OpenAiErrors.From(e);
            if (!http.Response.HasStarted)
            {
                await WriteError(http, error);
                return;
            }
            try
            {
                await WriteEvent(http, error.WriteTo);
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested)
            {
                // nobody left to tell
            }
        }
    }

    internal static async Task WriteError(HttpContext http, OpenAiError error)
    {
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/json";
        if (error.RetryAfter is { } retry)
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, retry.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.Response.Body.WriteAsync(error.ToJson());
    }

    private static async Task Models(HttpContext http)
    {
        var client = http.RequestServices.GetRequiredService<ICocoonClient>();
        var models = await client.ListModelsAsync(http.RequestAborted);
        var nodes = await client.ListNodesAsync(null, http.RequestAborted);
        await WriteJson(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var model in models)
            {
                json.WriteStartObject();
                json.WriteString("id", model.Name);
                json.WriteString("object", "model");
                json.WriteNumber("created", 0);
                json.WriteString("owned_by", "cocoon");
                json.WriteStartArray("workers");
                foreach (var node in nodes.Where(n => n.Models.Contains(model.Name)))
                {
                    json.WriteStartObject();
                    json.WriteString("id", node.Id);
                    json.WriteNumber("coefficient", node.Coefficient);
                    json.WriteNumber("running", node.Load.Running);
                    json.WriteNumber("queued", node.Load.Queued);
                    json.WriteNumber("max_active", node.MaxActive);
                    json.WriteNumber("recent_latency_ms", Math.Round(node.Load.RecentLatencyMs, 1));
                    json.WriteString("region", node.Region);
                    json.WriteBoolean("attested", node.Attested);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static async Task Complete(HttpContext http, bool chat)
    {
        var clientStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        http.Response.Headers["X-Cocoon-Client-Start-Ms"] = clientStart.ToString();
        var body = await ReadBody(http);
        var request = OpenAiRequest.Parse(body, chat, http.Items[OpenAiServer.AccountItem] as string);
        var client = http.RequestServices.GetRequiredService<ICocoonClient>();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var reply = new Reply(request, created);
        if (!request.Stream)
        {
            await Whole(http, client, request, reply, clientStart);
            return;
        }

        // Leaving this enumerator early, or the caller disconnecting (RequestAborted), cancels the job.
        await using var events = client.RunAsync(request.Job, http.RequestAborted).GetAsyncEnumerator(http.RequestAborted);
        await Stream(http, events, reply, clientStart);
    }

    /// <summary>A response in one piece: the job runs as one call (<see cref="ICocoonClient.CompleteAsync"/>); the caller disconnecting cancels it.</summary>
    private static async Task Whole(HttpContext http, ICocoonClient client, OpenAiRequest request, Reply reply, long clientStart)
    {
        CocoonCompletion done;
        try
        {
            done = await client.CompleteAsync(request.Job, http.RequestAborted);
        }
        catch (JobFailedException f)
        {
            throw OpenAiErrors.ForFailure(f.Code, $"Job {f.JobId} failed ({f.Code}): {f.Message}");
        }
        var c = new CocoonJobCompleted(done.JobId, done.FinishReason, done.PromptTokens, done.CachedPromptTokens, done.CompletionTokens, done.CostNano, done.Timings);
        reply.JobId = done.JobId;
        SetTimingHeaders(http, c, clientStart);
        await WriteJson(http, json => reply.WriteWhole(json, done.Text, c));
    }

    private static async Task Stream(HttpContext http, IAsyncEnumerator<CocoonJobEvent> events, Reply reply, long clientStart)
    {
        // The first event decides the status: a refused job (unknown model, no funds) still gets a proper HTTP error.
        if (!await events.MoveNextAsync()) throw new OpenAiError(502, "The job ended before it started.", null, "no_result", "server_error");
        if (events.Current is CocoonJobFailed early) throw OpenAiErrors.ForFailure(early.Code, $"Job {early.JobId} failed ({early.Code}): {early.Message}");
        if (events.Current is CocoonJobAccepted accepted) reply.JobId = accepted.JobId;

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Cocoon-Job-Id"] = reply.JobId;
        if (reply.Chat) await WriteEvent(http, json => reply.WriteChunk(json, "", role: true, finish: null));
        do
        {
            switch (events.Current)
            {
                case CocoonJobToken t:
                    await WriteEvent(http, json => reply.WriteChunk(json, t.Text, role: false, finish: null));
                    break;
                case CocoonJobFailed f:
                    throw OpenAiErrors.ForFailure(f.Code, $"Job {f.JobId} failed ({f.Code}): {f.Message}");
                case CocoonJobCompleted c:
                    var timings = Timings(c, clientStart);
                    await WriteEvent(http, json => reply.WriteChunk(json, reply.Chat ? null : "", role: false, finish: FinishReason(c.FinishReason), timings));
                    if (reply.IncludeUsage) await WriteEvent(http, json => reply.WriteUsageChunk(json, c));
                    await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                    return;
            }
        }
        while (await events.MoveNextAsync());
        throw new OpenAiError(502, $"Job {reply.JobId} ended without a result: check it with `cocoon jobs show {reply.JobId}`.", null, "no_result", "server_error");
    }

    internal static string FinishReason(string cocoon) => cocoon switch
    {
        "length" or "max_tokens" => "length",
        "stop" or "eos" or "stop_sequence" => "stop",
        _ => cocoon,
    };

    private static (string Name, long Value)[] Timings(CocoonJobCompleted c, long clientStart) =>
    [
        ("Client-Start-Ms", clientStart),
        ("Job-Start-Ms", c.Timings.JobStartMs),
        ("Node-Start-Ms", c.Timings.NodeStartMs),
        ("Node-End-Ms", c.Timings.NodeEndMs),
        ("Client-End-Ms", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    ];

    private static void SetTimingHeaders(HttpContext http, CocoonJobCompleted c, long clientStart)
    {
        foreach (var (name, value) in Timings(c, clientStart)) http.Response.Headers["X-Cocoon-" + name] = value.ToString();
        http.Response.Headers["X-Cocoon-Job-Id"] = c.JobId;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBody(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            throw new OpenAiError(413, $"The request body is larger than {MaxBodyBytes >> 20} MiB.", null, "request_too_large");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw new OpenAiError(413, $"The request body is larger than {MaxBodyBytes >> 20} MiB.", null, "request_too_large");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task WriteJson(HttpContext http, Action<Utf8JsonWriter> write)
    {
        http.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(http.Response.BodyWriter.AsStream(leaveOpen: true)))
            write(json);
    }

    private static async Task WriteEvent(HttpContext http, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        buffer.Write("data: "u8);
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        buffer.Write("\n\n"u8);
        await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    /// <summary>What every chunk or response of one request repeats: id, model, created, and the request's shape.</summary>
    private sealed class Reply(OpenAiRequest request, long created)
    {
        public string JobId { get; set; } = request.Job.JobId ?? "";
        public bool Chat => request.Chat;
        public bool IncludeUsage => request.IncludeUsage;

        private string Id => (Chat ? "chatcmpl-" : "cmpl-") + JobId;

        private void Header(Utf8JsonWriter json, bool chunk)
        {
            json.WriteString("id", Id);
            json.WriteString("object", Chat ? chunk ? "chat.completion.chunk" : "chat.completion" : "text_completion");
            json.WriteNumber("created", created);
            json.WriteString("model", request.Model);
        }

        public void WriteWhole(Utf8JsonWriter json, string text, CocoonJobCompleted c)
        {
            json.WriteStartObject();
            Header(json, chunk: false);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            if (Chat)
            {
                json.WriteStartObject("message");
                json.WriteString("role", "assistant");
                json.WriteString("content", text);
                json.WriteNull("refusal");
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", text);
            }
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", FinishReason(c.FinishReason));
            json.WriteEndObject();
            json.WriteEndArray();
            WriteUsage(json, c);
            json.WriteEndObject();
        }

        public void WriteChunk(Utf8JsonWriter json, string? text, bool role, string? finish, (string Name, long Value)[]? timings = null)
        {
            json.WriteStartObject();
            Header(json, chunk: true);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            if (Chat)
            {
                json.WriteStartObject("delta");
                if (role) json.WriteString("role", "assistant");
                if (text is not null) json.WriteString("content", text);
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", text ?? "");
            }
            json.WriteNull("logprobs");
            if (finish is null) json.WriteNull("finish_reason"); else json.WriteString("finish_reason", finish);
            json.WriteEndObject();
            json.WriteEndArray();
            if (timings is not null)
            {
                // Headers are long gone when a stream ends: the timings ride on its last chunk instead.
                json.WriteStartObject("cocoon_timings");
                foreach (var (name, value) in timings) json.WriteNumber(name.ToLowerInvariant().Replace('-', '_'), value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        public void WriteUsageChunk(Utf8JsonWriter json, CocoonJobCompleted c)
        {
            json.WriteStartObject();
            Header(json, chunk: true);
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, c);
            json.WriteEndObject();
        }

        private static void WriteUsage(Utf8JsonWriter json, CocoonJobCompleted c)
        {
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", c.PromptTokens);
            json.WriteNumber("completion_tokens", c.CompletionTokens);
            json.WriteNumber("total_tokens", c.PromptTokens + c.CompletionTokens);
            json.WriteStartObject("prompt_tokens_details");
            json.WriteNumber("cached_tokens", c.CachedPromptTokens);
            json.WriteEndObject();
            json.WriteNumber("cost_nano", c.CostNano);
            json.WriteEndObject();
        }
    }
}
