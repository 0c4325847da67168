using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Cocoon.Testing.LlamaCpp;

/// <summary>
/// llama.cpp (through LLamaSharp) on a GGUF, CPU only, with an f32 KV cache and flash attention off so that its
/// arithmetic is plain and comparable to ours.
/// </summary>
public sealed class LlamaCppReference : IDisposable
{
    private readonly ModelParams _parameters;
    private readonly LLamaWeights _weights;

    public LlamaCppReference(string ggufPath, int context = 512)
    {
        NativeLogConfig.llama_log_set((level, message) => { });
        _parameters = new ModelParams(ggufPath)
        {
            ContextSize = (uint)context,
            GpuLayerCount = 0,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
            BatchSize = (uint)context,
            UBatchSize = (uint)context,
            Threads = Math.Max(1, Environment.ProcessorCount),
            BatchThreads = Math.Max(1, Environment.ProcessorCount),
        };
        _weights = LLamaWeights.LoadFromFile(_parameters);
    }

    public int[] Tokenize(string text, bool special)
    {
        using var context = _weights.CreateContext(_parameters);
        return context.Tokenize(text, addBos: false, special: special).Select(t => (int)t).ToArray();
    }

    /// <summary>
    /// Prefills the prompt (timed), takes the last position's logits, then decodes <paramref name="count"/> greedy
    /// tokens one at a time (timed).
    /// </summary>
    public LlamaCppRun Run(int[] prompt, int count)
    {
        using var context = _weights.CreateContext(_parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++)
            batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        var clock = Stopwatch.StartNew();
        Check(context.Decode(batch));
        var first = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1).ToArray();
        var prefill = clock.Elapsed;
        var logits = first;
        var tokens = new int[count];
        clock.Restart();
        for (var n = 0; n < count; n++)
        {
            tokens[n] = ArgMax(logits);
            batch.Clear();
            batch.Add((LLamaToken)tokens[n], prompt.Length + n, LLamaSeqId.Zero, true);
            Check(context.Decode(batch));
            logits = context.NativeHandle.GetLogitsIth(0).ToArray();
        }
        return new LlamaCppRun(first, tokens, prefill, clock.Elapsed);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
    }

    // Our own argmax rather than the engine's sampler: the reference stays independent of what it checks.
    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }

    public void Dispose() => _weights.Dispose();
}

/// <summary>The prompt's last-position logits, the greedy continuation, and how long prefill and decode took.</summary>
public sealed record LlamaCppRun(float[] Logits, int[] Tokens, TimeSpan Prefill, TimeSpan Decode);
