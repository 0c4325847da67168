using System.Text;

namespace Cocoon.Inference.Gguf;

/// <summary>
/// Writes GGUF v3 files (llama.cpp's format): magic, version, tensor and metadata counts, typed key/values, tensor
/// infos (dims innermost first, offsets into an aligned data section), then the f32 data.
/// </summary>
public sealed class GgufWriter
{
    private const int Alignment = 32;
    private readonly List<(string Key, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, long[] Shape, float[] Data)> _tensors = [];

    private enum ValueType : uint
    {
        UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9, UInt64 = 10,
    }

    public GgufWriter Add(string key, string value) => Add(key, w => { w.Write((uint)ValueType.String); WriteString(w, value); });
    public GgufWriter Add(string key, uint value) => Add(key, w => { w.Write((uint)ValueType.UInt32); w.Write(value); });
    public GgufWriter Add(string key, float value) => Add(key, w => { w.Write((uint)ValueType.Float32); w.Write(value); });
    public GgufWriter Add(string key, bool value) => Add(key, w => { w.Write((uint)ValueType.Bool); w.Write((byte)(value ? 1 : 0)); });

    public GgufWriter Add(string key, IReadOnlyList<string> values) => Add(key, w =>
    {
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.String);
        w.Write((ulong)values.Count);
        foreach (var v in values)
            WriteString(w, v);
    });

    public GgufWriter Add(string key, IReadOnlyList<int> values) => Add(key, w =>
    {
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.Int32);
        w.Write((ulong)values.Count);
        foreach (var v in values)
            w.Write(v);
    });

    /// <summary>Adds an f32 tensor given in PyTorch's row-major shape (outermost first); GGUF stores it innermost first.</summary>
    public GgufWriter AddTensor(string name, long[] shape, float[] data)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length)
            throw new ArgumentException($"Tensor {name}: {data.Length} values for shape [{string.Join(", ", shape)}].");
        _tensors.Add((name, shape, data));
        return this;
    }

    private GgufWriter Add(string key, Action<BinaryWriter> write)
    {
        _metadata.Add((key, write));
        return this;
    }

    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, write) in _metadata)
        {
            WriteString(w, key);
            write(w);
        }
        ulong offset = 0;
        foreach (var (name, shape, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)shape.Length);
            for (var i = shape.Length - 1; i >= 0; i--)
                w.Write((ulong)shape[i]);
            w.Write(0u); // GGML_TYPE_F32
            w.Write(offset);
            offset += Align((ulong)data.Length * 4);
        }
        Pad(w);
        foreach (var (_, _, data) in _tensors)
        {
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            Pad(w);
        }
    }

    private static ulong Align(ulong n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        var position = w.BaseStream.Position;
        var padded = (long)Align((ulong)position);
        for (var i = position; i < padded; i++)
            w.Write((byte)0);
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }
}
