using System.Text;
using System.Text.Json.Nodes;

namespace Cocoon.Inference.Loading;

/// <summary>Writes a safetensors file from named tensors (header padded to 8 bytes, as the format recommends).</summary>
public static class SafeTensorsWriter
{
    public sealed record Tensor(string Name, TensorDType DType, long[] Shape, byte[] Data);

    public static void Write(string path, IEnumerable<Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is not null)
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata)
                meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in list)
        {
            header[t.Name] = new JsonObject
            {
                ["dtype"] = t.DType.Name(),
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + t.Data.Length),
            };
            offset += t.Data.Length;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        stream.Write(BitConverter.GetBytes((long)padded));
        stream.Write(headerBytes);
        for (var i = headerBytes.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        foreach (var t in list)
            stream.Write(t.Data);
    }
}
