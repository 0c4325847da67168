using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Cocoon.Inference.Models;

/// <summary>
/// Attention for a decode step on the CPU, every sequence bringing one token: appends its key and value to its own
/// cache and attends over it, all in one call. In libtorch this is ~17 tiny ops per sequence per layer, whose
/// dispatch costs more than the arithmetic at decode sizes.
/// </summary>
internal static unsafe class DecodeAttention
{
    /// <param name="q">[rows, heads, dim], already rotated and scaled, contiguous.</param>
    /// <param name="k">[rows, kv heads, dim], rotated, contiguous.</param>
    /// <param name="qkv">The fused projection [rows, (heads + 2 kv heads) · dim]; values are its last kv heads · dim columns.</param>
    public static Tensor Run(Tensor q, Tensor k, Tensor qkv, IReadOnlyList<(KvCache Cache, int[] Tokens)> batch, int layer,
        int heads, int kvHeads, int dim)
    {
        var rows = batch.Count;
        var output = empty(rows, heads * dim, ScalarType.Float32);
        var packed = qkv.is_contiguous() ? qkv : qkv.contiguous();
        float* qp = Pointer(q), kp = Pointer(k), vp = Pointer(packed) + (heads + kvHeads) * dim, op = Pointer(output);
        long width = packed.shape[1];
        var groups = heads / kvHeads;
        var keyBases = new IntPtr[rows];
        var valueBases = new IntPtr[rows];
        var lengths = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var cache = batch[r].Cache;
            long layerOffset = (long)layer * kvHeads * cache.Capacity * dim;
            var keys = Pointer(cache.Keys) + layerOffset;
            var values = Pointer(cache.Values) + layerOffset;
            var past = cache.Length;
            for (var h = 0; h < kvHeads; h++)
            {
                new ReadOnlySpan<float>(kp + ((long)r * kvHeads + h) * dim, dim).CopyTo(new Span<float>(keys + ((long)h * cache.Capacity + past) * dim, dim));
                new ReadOnlySpan<float>(vp + r * width + (long)h * dim, dim).CopyTo(new Span<float>(values + ((long)h * cache.Capacity + past) * dim, dim));
            }
            keyBases[r] = (IntPtr)keys;
            valueBases[r] = (IntPtr)values;
            lengths[r] = past + 1;
        }
        Parallel.For(0, rows * heads, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
        {
            int r = item / heads, h = item % heads, kv = h / groups;
            var capacity = batch[r].Cache.Capacity;
            Head(qp + ((long)r * heads + h) * dim,
                (float*)keyBases[r] + (long)kv * capacity * dim,
                (float*)valueBases[r] + (long)kv * capacity * dim,
                lengths[r], dim, op + (long)r * heads * dim + (long)h * dim);
        });
        GC.KeepAlive(q);
        GC.KeepAlive(k);
        GC.KeepAlive(packed);
        foreach (var (cache, _) in batch)
            GC.KeepAlive(cache);
        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Head(float* query, float* keys, float* values, int length, int dim, float* output)
    {
        var scores = length <= 4096 ? stackalloc float[length] : new float[length];
        var max = float.NegativeInfinity;
        for (var t = 0; t < length; t++)
        {
            var s = Dot(query, keys + (long)t * dim, dim);
            scores[t] = s;
            if (s > max)
                max = s;
        }
        var sum = 0f;
        for (var t = 0; t < length; t++)
            sum += scores[t] = MathF.Exp(scores[t] - max);
        var inverse = 1 / sum;
        var result = stackalloc float[dim];
        for (var i = 0; i < dim; i++)
            result[i] = 0;
        for (var t = 0; t < length; t++)
        {
            var p = scores[t] * inverse;
            var row = values + (long)t * dim;
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var weight = Vector256.Create(p);
                for (; i + 8 <= dim; i += 8)
                    Vector256.Store(Vector256.Load(result + i) + weight * Vector256.Load(row + i), result + i);
            }
            for (; i < dim; i++)
                result[i] += p * row[i];
        }
        new ReadOnlySpan<float>(result, dim).CopyTo(new Span<float>(output, dim));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* b, int length)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && length >= 8)
        {
            var s = Vector256<float>.Zero;
            for (; i + 8 <= length; i += 8)
                s += Vector256.Load(a + i) * Vector256.Load(b + i);
            sum = Vector256.Sum(s);
        }
        for (; i < length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
