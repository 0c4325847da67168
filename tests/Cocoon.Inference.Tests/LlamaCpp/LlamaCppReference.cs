using LLama;
using LLama.Common;
using LLama.Native;

namespace Cocoon.Inference.Tests.LlamaCpp;

/// <summary>llama.cpp (through LLamaSharp) on a GGUF: f32 KV cache, flash attention off, so its arithmetic is plain.</summary>
internal sealed class LlamaCppReference : IDisposable
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
        };
        _weights = LLamaWeights.LoadFromFile(_parameters);
    }

    public int[] Tokenize(string text, bool special)
    {
        using var context = _weights.CreateContext(_parameters);
        return context.Tokenize(text, addBos: false, special: special).Select(t => (int)t).ToArray();
    }

    /// <summary>Last-position logits after the prompt, then the greedy continuation of <paramref name="count"/> tokens.</summary>
    public (float[] Logits, int[] Greedy) Run(int[] prompt, int count)
    {
        using var context = _weights.CreateContext(_parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++)
            batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        Check(context.Decode(batch));
        var first = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1).ToArray();
        var logits = first;
        var generated = new List<int>();
        var position = prompt.Length;
        for (var n = 0; n < count; n++)
        {
            var next = ArgMax(logits);
            generated.Add(next);
            batch.Clear();
            batch.Add((LLamaToken)next, position++, LLamaSeqId.Zero, true);
            Check(context.Decode(batch));
            logits = context.NativeHandle.GetLogitsIth(0).ToArray();
        }
        return (first, [.. generated]);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
    }

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
