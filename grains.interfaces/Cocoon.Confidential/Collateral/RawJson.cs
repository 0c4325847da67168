using System.Text.Json;

namespace Cocoon.Confidential.Collateral;

/// <summary>Finds the exact bytes of a top-level property's value: signed JSON must be checked over the bytes as served, not re-serialized.</summary>
internal static class RawJson
{
    public static ReadOnlyMemory<byte> Property(ReadOnlyMemory<byte> json, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new CollateralFormatException("expected a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (match)
                {
                    var end = (int)reader.BytesConsumed;
                    return json[start..end];
                }
            }
            throw new CollateralFormatException($"property '{name}' not found");
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"invalid JSON: {e.Message}", e);
        }
    }

    public static string String(ReadOnlyMemory<byte> json, string name)
    {
        var raw = Property(json, name);
        try
        {
            return JsonSerializer.Deserialize<string>(raw.Span)
                ?? throw new CollateralFormatException($"property '{name}' is null");
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"property '{name}' is not a string", e);
        }
    }
}
