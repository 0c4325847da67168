namespace Cocoon.Inference.Loading;

/// <summary>The element types the loader reads (safetensors names).</summary>
public enum TensorDType
{
    F32,
    F16,
    BF16,
}

internal static class TensorDTypes
{
    public static int Size(this TensorDType dtype) => dtype == TensorDType.F32 ? 4 : 2;

    public static string Name(this TensorDType dtype) => dtype.ToString();

    public static bool TryParse(string name, out TensorDType dtype)
    {
        (var ok, dtype) = name switch
        {
            "F32" => (true, TensorDType.F32),
            "F16" => (true, TensorDType.F16),
            "BF16" => (true, TensorDType.BF16),
            _ => (false, TensorDType.F32),
        };
        return ok;
    }

    /// <summary>Widens little-endian raw elements to floats.</summary>
    public static void ToSingle(this TensorDType dtype, ReadOnlySpan<byte> raw, Span<float> destination)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination);
                break;
            case TensorDType.F16:
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw);
                for (var i = 0; i < halves.Length; i++)
                    destination[i] = (float)halves[i];
                break;
            case TensorDType.BF16:
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(raw);
                for (var i = 0; i < words.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(words[i] << 16);
                break;
        }
    }

    /// <summary>Narrows floats to raw elements (round to nearest even for bf16).</summary>
    public static byte[] FromSingle(this TensorDType dtype, ReadOnlySpan<float> values)
    {
        var raw = new byte[values.Length * dtype.Size()];
        switch (dtype)
        {
            case TensorDType.F32:
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(raw);
                break;
            case TensorDType.F16:
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw.AsSpan());
                for (var i = 0; i < values.Length; i++)
                    halves[i] = (Half)values[i];
                break;
            case TensorDType.BF16:
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(raw.AsSpan());
                for (var i = 0; i < values.Length; i++)
                {
                    var bits = (uint)BitConverter.SingleToInt32Bits(values[i]);
                    words[i] = (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
                }
                break;
        }
        return raw;
    }
}
