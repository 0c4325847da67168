using System.Text.Json;
using Cocoon.Cli.Jobs;
using Cocoon.Client;
using Cocoon.Jobs;

namespace Cocoon.Cli.Serve;

/// <summary>
/// One <c>/v1/chat/completions</c> or <c>/v1/completions</c> body, read strictly: every field is known and valid, or
/// the caller gets a 400 naming it. Fields OpenAI has but Cocoon cannot honour are refused rather than ignored, since
/// a caller relying on them (tools, n &gt; 1, JSON schemas) would otherwise get silently wrong answers.
/// </summary>
public sealed record OpenAiRequest(bool Chat, string Model, CocoonJobRequest Job, bool Stream, bool IncludeUsage)
{
    private static readonly HashSet<string> Common =
    [
        "model", "max_tokens", "temperature", "top_p", "stop", "seed", "presence_penalty", "frequency_penalty",
        "stream", "stream_options", "n", "user", "max_coefficient", "timeout", "request_guid",
    ];

    private static readonly HashSet<string> ChatOnly = ["messages", "max_completion_tokens"];
    private static readonly HashSet<string> CompletionOnly = ["prompt"];

    /// <summary>OpenAI fields Cocoon does not implement: harmless when null or false, refused otherwise.</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "tools", "tool_choice", "parallel_tool_calls", "functions", "function_call", "logprobs", "top_logprobs", "logit_bias",
        "response_format", "audio", "modalities", "prediction", "store", "metadata", "service_tier", "reasoning_effort",
        "web_search_options", "echo", "best_of", "suffix",
    ];

    public static OpenAiRequest Parse(ReadOnlyMemory<byte> body, bool chat, string? accountId)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new OpenAiError(400, $"The request body is not valid JSON: {e.Message}", null, "invalid_json");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new OpenAiError(400, "The request body must be a JSON object.", null, "invalid_json");
            foreach (var p in root.EnumerateObject())
            {
                if (Common.Contains(p.Name) || (chat ? ChatOnly : CompletionOnly).Contains(p.Name)) continue;
                if (Unsupported.Contains(p.Name) || (chat ? CompletionOnly : ChatOnly).Contains(p.Name))
                {
                    if (IsHarmless(p.Name, p.Value)) continue;
                    throw OpenAiError.Unsupported(p.Name, $"'{p.Name}' is not supported by this Cocoon endpoint: remove it from the request.");
                }
                throw new OpenAiError(400, $"Unrecognized request argument supplied: '{p.Name}'.", p.Name, "unknown_parameter");
            }

            var model = RequiredString(root, "model");
            var n = OptionalInt(root, "n");
            if (n is not null and not 1) throw OpenAiError.Unsupported("n", "'n' must be 1: this endpoint returns one choice per request.");
            var maxTokens = OptionalInt(root, "max_completion_tokens") ?? OptionalInt(root, "max_tokens");
            if (maxTokens is <= 0)
                throw OpenAiError.Invalid(Has(root, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens", "The token limit must be a positive integer.");
            var temperature = OptionalFloat(root, "temperature") ?? 1f;
            if (temperature is < 0 or > 2) throw OpenAiError.Invalid("temperature", "'temperature' must be between 0 and 2.");
            var topP = OptionalFloat(root, "top_p") ?? 1f;
            if (topP is <= 0 or > 1) throw OpenAiError.Invalid("top_p", "'top_p' must be in (0, 1].");
            var presence = OptionalFloat(root, "presence_penalty") ?? 0f;
            if (presence is < -2 or > 2) throw OpenAiError.Invalid("presence_penalty", "'presence_penalty' must be between -2 and 2.");
            var frequency = OptionalFloat(root, "frequency_penalty") ?? 0f;
            if (frequency is < -2 or > 2) throw OpenAiError.Invalid("frequency_penalty", "'frequency_penalty' must be between -2 and 2.");
            var stream = OptionalBool(root, "stream") ?? false;
            var includeUsage = ReadStreamOptions(root, stream);
            OptionalString(root, "user");
            var maxCoefficient = OptionalInt(root, "max_coefficient");
            if (maxCoefficient is <= 0) throw OpenAiError.Invalid("max_coefficient", "'max_coefficient' must be a positive integer (1000 = 1.0).");
            var jobId = OptionalString(root, "request_guid");
            if (jobId is not null && !JobIds.IsValid(jobId))
                throw OpenAiError.Invalid("request_guid", "'request_guid' must be 1 to 128 characters of A-Z a-z 0-9 . _ -");

            var job = new CocoonJobRequest
            {
                Model = model,
                MaxTokens = maxTokens,
                Temperature = temperature,
                TopP = topP,
                Seed = ReadSeed(root),
                PresencePenalty = presence,
                FrequencyPenalty = frequency,
                Stop = ReadStop(root),
                MaxCoefficient = maxCoefficient,
                Timeout = ReadTimeout(root),
                JobId = jobId,
                AccountId = accountId,
            };
            job = chat ? job with { Messages = ReadMessages(root) } : job with { Prompt = ReadPrompt(root) };
            return new OpenAiRequest(chat, model, job, stream, includeUsage);
        }
    }

    private static bool IsHarmless(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.Number when name is "best_of" && value.TryGetInt32(out var b) && b == 1 => true,
        JsonValueKind.Object when name is "response_format" => value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "text",
        _ => false,
    };

    private static bool ReadStreamOptions(JsonElement root, bool stream)
    {
        if (!root.TryGetProperty("stream_options", out var options) || options.ValueKind == JsonValueKind.Null) return false;
        if (options.ValueKind != JsonValueKind.Object) throw OpenAiError.Invalid("stream_options", "'stream_options' must be an object.");
        if (!stream) throw OpenAiError.Invalid("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        var include = false;
        foreach (var p in options.EnumerateObject())
        {
            if (p.Name != "include_usage")
                throw new OpenAiError(400, $"Unrecognized argument supplied: 'stream_options.{p.Name}'.", $"stream_options.{p.Name}", "unknown_parameter");
            include = p.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw OpenAiError.Invalid("stream_options.include_usage", "'stream_options.include_usage' must be a boolean."),
            };
        }
        return include;
    }

    private static IReadOnlyList<PromptMessage> ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw OpenAiError.Invalid("messages", "'messages' must be a non-empty array of {role, content}.");
        var result = new List<PromptMessage>();
        var i = 0;
        foreach (var m in messages.EnumerateArray())
        {
            var at = $"messages[{i++}]";
            if (m.ValueKind != JsonValueKind.Object) throw OpenAiError.Invalid(at, $"'{at}' must be an object with role and content.");
            string? role = null, content = null;
            foreach (var p in m.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "role":
                        role = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        break;
                    case "content":
                        content = ReadContent(p.Value, $"{at}.content");
                        break;
                    case "name":
                        break;
                    case "tool_calls" or "tool_call_id" or "function_call" or "audio" or "refusal":
                        if (p.Value.ValueKind is JsonValueKind.Null) break;
                        throw OpenAiError.Unsupported($"{at}.{p.Name}", $"'{at}.{p.Name}' is not supported: tools and audio are not available on this endpoint.");
                    default:
                        throw new OpenAiError(400, $"Unrecognized argument supplied: '{at}.{p.Name}'.", $"{at}.{p.Name}", "unknown_parameter");
                }
            }
            role = role switch
            {
                "system" or "developer" => "system",
                "user" or "assistant" => role,
                "tool" or "function" => throw OpenAiError.Unsupported($"{at}.role", $"'{at}.role' '{role}' is not supported: tools are not available on this endpoint."),
                _ => throw OpenAiError.Invalid($"{at}.role", $"'{at}.role' must be one of system, developer, user, assistant."),
            };
            if (content is null) throw OpenAiError.Invalid($"{at}.content", $"'{at}.content' is required.");
            result.Add(new PromptMessage(role, content));
        }
        return result;
    }

    /// <summary>A message's content: a string, or an array of text parts joined (other part types are refused).</summary>
    private static string? ReadContent(JsonElement value, string at)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                foreach (var part in value.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                        throw OpenAiError.Invalid(at, $"'{at}' parts must be objects with a type.");
                    if (type.GetString() != "text")
                        throw OpenAiError.Unsupported(at, $"'{at}' part type '{type.GetString()}' is not supported: only text parts are.");
                    if (!part.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                        throw OpenAiError.Invalid(at, $"'{at}' text parts need a string 'text'.");
                    text.Append(t.GetString());
                }
                return text.ToString();
            default:
                throw OpenAiError.Invalid(at, $"'{at}' must be a string or an array of text parts.");
        }
    }

    private static string ReadPrompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt)) throw OpenAiError.Invalid("prompt", "'prompt' is required.");
        var text = prompt.ValueKind switch
        {
            JsonValueKind.String => prompt.GetString(),
            JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String => prompt[0].GetString(),
            JsonValueKind.Array => throw OpenAiError.Unsupported("prompt", "'prompt' must be one string: batches and token arrays are not supported."),
            _ => throw OpenAiError.Invalid("prompt", "'prompt' must be a string."),
        };
        if (string.IsNullOrWhiteSpace(text)) throw OpenAiError.Invalid("prompt", "'prompt' is empty.");
        return text;
    }

    private static IReadOnlyList<string>? ReadStop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return null;
        var list = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => stop.EnumerateArray().Select(s => s.GetString()!).ToList(),
            _ => throw OpenAiError.Invalid("stop", "'stop' must be a string or an array of strings."),
        };
        if (list.Count > 4) throw OpenAiError.Invalid("stop", "'stop' takes at most 4 sequences.");
        if (list.Any(string.IsNullOrEmpty)) throw OpenAiError.Invalid("stop", "'stop' sequences must not be empty.");
        return list;
    }

    private static ulong? ReadSeed(JsonElement root)
    {
        if (!root.TryGetProperty("seed", out var seed) || seed.ValueKind == JsonValueKind.Null) return null;
        if (seed.ValueKind == JsonValueKind.Number && seed.TryGetInt64(out var signed)) return unchecked((ulong)signed);
        if (seed.ValueKind == JsonValueKind.Number && seed.TryGetUInt64(out var unsigned)) return unsigned;
        throw OpenAiError.Invalid("seed", "'seed' must be an integer.");
    }

    /// <summary>COCOON's timeout: seconds as a number, or a duration string (90, 30s, 1500ms, 2m).</summary>
    private static TimeSpan? ReadTimeout(JsonElement root)
    {
        if (!root.TryGetProperty("timeout", out var timeout) || timeout.ValueKind == JsonValueKind.Null) return null;
        if (timeout.ValueKind == JsonValueKind.Number && timeout.TryGetDouble(out var seconds) && seconds > 0 && seconds <= 86_400)
            return TimeSpan.FromSeconds(seconds);
        if (timeout.ValueKind == JsonValueKind.String && Durations.TryParse(timeout.GetString()!, out var value) && value > TimeSpan.Zero)
            return value;
        throw OpenAiError.Invalid("timeout", "'timeout' must be seconds (a number up to 86400) or a duration such as \"30s\" or \"2m\".");
    }

    private static bool Has(JsonElement root, string name) => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private static string RequiredString(JsonElement root, string name)
    {
        if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
            return v.GetString()!;
        throw OpenAiError.Invalid(name, $"'{name}' is required and must be a non-empty string.");
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw OpenAiError.Invalid(name, $"'{name}' must be a string.");
    }

    private static int? OptionalInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw OpenAiError.Invalid(name, $"'{name}' must be an integer.");
    }

    private static float? OptionalFloat(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? (float)d : throw OpenAiError.Invalid(name, $"'{name}' must be a number.");
    }

    private static bool? OptionalBool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw OpenAiError.Invalid(name, $"'{name}' must be a boolean."),
        };
    }
}
