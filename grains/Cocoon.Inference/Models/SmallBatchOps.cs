using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cocoon.Inference.Models;

/// <summary>
/// RMSNorm and rotary embedding for the few rows of a decode step on the CPU, each in one pass. Done with libtorch
/// they cost six or seven tiny tensor ops each, and at a handful of rows the per-op dispatch dominates.
/// </summary>
internal static unsafe class SmallBatchOps
{
    public static bool Applies(Tensor x) =>
        x.device_type == DeviceType.CPU && x.shape[0] <= SmallBatchLinear.MaxRows && x.dtype == ScalarType.Float32;

    /// <summary><c>x · rsqrt(mean(x²) + eps) · w</c> over the last dimension of a [rows, n] tensor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor RmsNorm(Tensor x, Tensor weight, float eps)
    {
        var input = x.is_contiguous() ? x : x.contiguous();
        int rows = (int)input.shape[0], n = (int)input.shape[1];
        var output = empty(rows, n, ScalarType.Float32);
        float* xp = Pointer(input), wp = Pointer(weight), yp = Pointer(output);
        for (var r = 0; r < rows; r++)
        {
            var row = xp + (long)r * n;
            var sum = 0f;
            for (var i = 0; i < n; i++)
                sum += row[i] * row[i];
            var scale = 1f / MathF.Sqrt(sum / n + eps);
            var outRow = yp + (long)r * n;
            for (var i = 0; i < n; i++)
                outRow[i] = row[i] * scale * wp[i];
        }
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        return output;
    }

    /// <summary>
    /// Rotate-half rotary embedding of [rows, heads, dim] at each row's position, times <paramref name="scale"/>
    /// (queries fold the attention scale in here).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Rotate(Tensor x, Tensor cosTable, Tensor sinTable, long[] positions, float scale)
    {
        var input = x.is_contiguous() ? x : x.contiguous();
        int rows = (int)input.shape[0], heads = (int)input.shape[1], dim = (int)input.shape[2], half = dim / 2;
        var output = empty(rows, heads, dim, ScalarType.Float32);
        float* xp = Pointer(input), yp = Pointer(output), cp = Pointer(cosTable), sp = Pointer(sinTable);
        for (var r = 0; r < rows; r++)
        {
            var cos = cp + positions[r] * dim;
            var sin = sp + positions[r] * dim;
            for (var h = 0; h < heads; h++)
            {
                var v = xp + ((long)r * heads + h) * dim;
                var o = yp + ((long)r * heads + h) * dim;
                for (var i = 0; i < half; i++)
                {
                    o[i] = (v[i] * cos[i] - v[i + half] * sin[i]) * scale;
                    o[i + half] = (v[i + half] * cos[i + half] + v[i] * sin[i + half]) * scale;
                }
            }
        }
        GC.KeepAlive(input);
        GC.KeepAlive(cosTable);
        GC.KeepAlive(sinTable);
        return output;
    }

    private static float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
