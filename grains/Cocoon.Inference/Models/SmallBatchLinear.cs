using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace Cocoon.Inference.Models;

/// <summary>
/// <c>y = x Wᵀ + b</c> for the few rows of a decode step, on the CPU. Decode is bound by reading the weights; this
/// reads each weight row once and dots it with every row of the batch while it sits in L1, so a batch of sequences
/// costs about what one does. libtorch's CPU GEMM is far slower than that for a handful of rows (measured: 8 rows
/// cost ~20× one row on the benchmark host), which would make continuous batching pointless on CPUs.
/// </summary>
internal static unsafe class SmallBatchLinear
{
    /// <summary>Batches up to this many rows take this path; larger ones (prefill) use libtorch's GEMM.</summary>
    public const int MaxRows = 32;

    public static bool Applies(Tensor x) =>
        x.device_type == DeviceType.CPU && x.dim() == 2 && x.shape[0] <= MaxRows && x.dtype == ScalarType.Float32;

    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        var input = x.is_contiguous() ? x : x.contiguous();
        int rows = (int)input.shape[0], k = (int)input.shape[1], n = (int)weight.shape[0];
        if (weight.shape[1] != k || !weight.is_contiguous())
            throw new ArgumentException("weight must be a contiguous [out, in] matrix matching the input.");
        var output = empty(rows, n, ScalarType.Float32);
        var xp = Pointer(input);
        var wp = Pointer(weight);
        var yp = Pointer(output);
        var bp = bias is null ? null : Pointer(bias);
        var workers = Environment.ProcessorCount;
        var chunk = Math.Max(16, (n + workers * 4 - 1) / (workers * 4));
        var chunks = (n + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers },
            c => Rows(wp, xp, yp, bp, rows, k, n, c * chunk, Math.Min(n, (c + 1) * chunk)));
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        return output;
    }

    // Optimized from the first call: tier-0 code for vector intrinsics is many times slower, and decode would
    // run that way until tiering caught up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(float* wp, float* xp, float* yp, float* bp, int rows, int k, int n, int start, int end)
    {
        for (var j = start; j < end; j++)
        {
            var row = wp + (long)j * k;
            var b = bp is null ? 0f : bp[j];
            var r = 0;
            if (Fma.IsSupported && k % 8 == 0)
            {
                // Four batch rows at a time: each weight vector is loaded once for four FMAs.
                for (; r + 4 <= rows; r += 4)
                    Dot4(row, xp + (long)r * k, k, yp + (long)r * n + j, n, b);
            }
            for (; r < rows; r++)
                yp[(long)r * n + j] = Dot(row, xp + (long)r * k, k) + b;
        }
    }

    private static float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(float* w, float* x, int k, float* y, int stride, float bias)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        float* x0 = x, x1 = x + k, x2 = x + 2 * k, x3 = x + 3 * k;
        var i = 0;
        for (; i + 16 <= k; i += 16)
        {
            var v = Avx.LoadVector256(w + i);
            var u = Avx.LoadVector256(w + i + 8);
            a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(x0 + i), a0);
            a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(x1 + i), a1);
            a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(x2 + i), a2);
            a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(x3 + i), a3);
            c0 = Fma.MultiplyAdd(u, Avx.LoadVector256(x0 + i + 8), c0);
            c1 = Fma.MultiplyAdd(u, Avx.LoadVector256(x1 + i + 8), c1);
            c2 = Fma.MultiplyAdd(u, Avx.LoadVector256(x2 + i + 8), c2);
            c3 = Fma.MultiplyAdd(u, Avx.LoadVector256(x3 + i + 8), c3);
        }
        for (; i < k; i += 8)
        {
            var v = Avx.LoadVector256(w + i);
            a0 = Fma.MultiplyAdd(v, Avx.LoadVector256(x0 + i), a0);
            a1 = Fma.MultiplyAdd(v, Avx.LoadVector256(x1 + i), a1);
            a2 = Fma.MultiplyAdd(v, Avx.LoadVector256(x2 + i), a2);
            a3 = Fma.MultiplyAdd(v, Avx.LoadVector256(x3 + i), a3);
        }
        y[0] = Vector256.Sum(a0 + c0) + bias;
        y[stride] = Vector256.Sum(a1 + c1) + bias;
        y[2 * stride] = Vector256.Sum(a2 + c2) + bias;
        y[3 * stride] = Vector256.Sum(a3 + c3) + bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* b, int length)
    {
        var i = 0;
        var sum = 0f;
        if (Fma.IsSupported && length >= 32)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i + 32 <= length; i += 32)
            {
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(a + i), Avx.LoadVector256(b + i), s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(a + i + 8), Avx.LoadVector256(b + i + 8), s1);
                s2 = Fma.MultiplyAdd(Avx.LoadVector256(a + i + 16), Avx.LoadVector256(b + i + 16), s2);
                s3 = Fma.MultiplyAdd(Avx.LoadVector256(a + i + 24), Avx.LoadVector256(b + i + 24), s3);
            }
            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector256.IsHardwareAccelerated && length >= 8)
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
}
