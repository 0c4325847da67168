using System.Text.Json;

namespace Cocoon.Cli.Serve;

/// <summary>
/// An error the endpoint answers in OpenAI's shape, <c>{"error":{"message","type","param","code"}}</c>, so that
/// OpenAI SDKs raise their usual typed exceptions.
/// </summary>
public sealed class OpenAiError(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error")
    : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;
    /// <summary>Sent as the Retry-After header (whole seconds) with a 429.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static OpenAiError Invalid(string param, string message) => new(400, message, param, "invalid_value");

    public static OpenAiError Unsupported(string param, string message) => new(400, message, param, "unsupported_parameter");

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        if (Param is null) json.WriteNull("param"); else json.WriteString("param", Param);
        if (Code is null) json.WriteNull("code"); else json.WriteString("code", Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) WriteTo(json);
        return buffer.ToArray();
    }
}
