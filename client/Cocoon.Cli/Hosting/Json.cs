using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cocoon.Cli.Hosting;

/// <summary>Compact, key-ordered JSON for scripts: one object per line, UTF-8 text unescaped where JSON allows it.</summary>
public static class Json
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Object(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
