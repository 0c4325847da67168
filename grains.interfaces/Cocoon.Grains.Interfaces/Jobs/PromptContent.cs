using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cocoon.Jobs;

/// <summary>The content of a job, as the node sees it once opened: a prompt or chat messages, and sampling.</summary>
public sealed record PromptContent
{
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("messages")] public IReadOnlyList<PromptMessage>? Messages { get; init; }
    [JsonPropertyName("temperature")] public float Temperature { get; init; }
    [JsonPropertyName("top_p")] public float TopP { get; init; } = 1f;
    [JsonPropertyName("top_k")] public int TopK { get; init; }
    [JsonPropertyName("seed")] public ulong? Seed { get; init; }
    [JsonPropertyName("presence_penalty")] public float PresencePenalty { get; init; }
    [JsonPropertyName("frequency_penalty")] public float FrequencyPenalty { get; init; }
    [JsonPropertyName("stop")] public IReadOnlyList<string>? Stop { get; init; }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses content; malformed bytes raise <see cref="Errors.InvalidJobException"/>.</summary>
    public static PromptContent FromUtf8(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize<PromptContent>(utf8, Json)
                ?? throw new Errors.InvalidJobException("payload", "The job payload is empty.");
        }
        catch (JsonException e)
        {
            throw new Errors.InvalidJobException("payload", $"The job payload is not valid JSON content: {e.Message}");
        }
    }

    /// <summary>UTF-8 bytes of the text the model reads: an upper bound of its byte-level BPE tokens.</summary>
    public int PromptByteCount() =>
        Prompt is not null
            ? System.Text.Encoding.UTF8.GetByteCount(Prompt)
            : (Messages ?? []).Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Content) + System.Text.Encoding.UTF8.GetByteCount(m.Role) + 8);
}

public sealed record PromptMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);
