using System.Text.Json;

namespace Cocoon.Inference.Loading;

/// <summary>
/// Reads a safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
/// and byte range, then the raw little-endian data.
/// </summary>
public sealed class SafeTensorsReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    public SafeTensorsReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            _stream.ReadExactly(lengthBytes);
            var headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > _stream.Length)
                throw new ModelLoadException($"{path} is not a safetensors file (header length {headerLength}).");
            var header = new byte[headerLength];
            _stream.ReadExactly(header);
            _dataStart = 8 + headerLength;
            using var json = JsonDocument.Parse(header);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                var dtype = property.Value.GetProperty("dtype").GetString()!;
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || _dataStart + offsets[1] > _stream.Length)
                    throw new ModelLoadException($"{path}: tensor {property.Name} has data offsets outside the file.");
                _entries[property.Name] = new Entry(property.Name, dtype, shape, offsets[0], offsets[1]);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or EndOfStreamException)
        {
            _stream.Dispose();
            throw new ModelLoadException($"{path} has a malformed safetensors header: {e.Message}", e);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, Entry> Entries => _entries;

    /// <summary>Reads a tensor widened to f32.</summary>
    public float[] ReadSingle(string name)
    {
        var entry = _entries[name];
        if (!TensorDTypes.TryParse(entry.DType, out var dtype))
            throw new ModelLoadException($"{Path}: tensor {name} has dtype {entry.DType}; supported are F32, F16 and BF16.");
        var count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        if (count * dtype.Size() != entry.End - entry.Begin)
            throw new ModelLoadException($"{Path}: tensor {name} holds {entry.End - entry.Begin} bytes, not the {count * dtype.Size()} its shape needs.");
        var raw = new byte[entry.End - entry.Begin];
        lock (_stream)
        {
            _stream.Position = _dataStart + entry.Begin;
            _stream.ReadExactly(raw);
        }
        var values = new float[count];
        dtype.ToSingle(raw, values);
        return values;
    }

    public void Dispose() => _stream.Dispose();
}
