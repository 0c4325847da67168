using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Cocoon.Benchmarks.Inference;

/// <summary>llama.cpp through LLamaSharp on the benchmark's GGUF: f32 KV cache, flash attention off, CPU only.</summary>
internal sealed class LlamaCppRunner : IDisposable
{
    private readonly ModelParams _parameters;
    private readonly LLamaWeights _weights;

    public LlamaCppRunner(string ggufPath, int context)
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
            Threads = Environment.ProcessorCount,
            BatchThreads = Environment.ProcessorCount,
        };
        _weights = LLamaWeights.LoadFromFile(_parameters);
    }

    /// <summary>Prefill seconds, the prompt's last logits, and decode seconds for <paramref name="count"/> greedy tokens.</summary>
    public (double PrefillSeconds, float[] Logits, double DecodeSeconds, int[] Tokens) Run(int[] prompt, int count)
    {
        using var context = _weights.CreateContext(_parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++)
            batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        var clock = Stopwatch.StartNew();
        Check(context.Decode(batch));
        var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1).ToArray();
        var prefill = clock.Elapsed.TotalSeconds;
        var first = logits;
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
        return (prefill, first, clock.Elapsed.TotalSeconds, tokens);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
    }

    internal static int ArgMax(float[] values)
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
