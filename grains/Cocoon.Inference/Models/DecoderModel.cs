using Cocoon.Inference.Loading;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cocoon.Inference.Models;

/// <summary>
/// A Llama / Qwen2 decoder: token embedding, RMSNorm, rotary embeddings, grouped-query attention (q/k/v biases when
/// the config says so), SwiGLU MLP, tied or untied head. Weights are f32 on the model's device; q/k/v and gate/up
/// are fused so that each layer costs three large matrix products.
/// </summary>
internal sealed class DecoderModel : IDisposable
{
    private sealed record Layer(Tensor AttentionNorm, Tensor Qkv, Tensor? QkvBias, Tensor Output, Tensor MlpNorm, Tensor GateUp, Tensor Down);

    private readonly Tensor _embedding;
    private readonly Layer[] _layers;
    private readonly Tensor _norm;
    private readonly Tensor _head;
    private readonly Tensor _cos, _sin;
    private readonly int _groups;
    private readonly double _scale;

    private DecoderModel(ModelConfig config, Device device, int maxContext, Tensor embedding, Layer[] layers, Tensor norm, Tensor head)
    {
        Config = config;
        Device = device;
        MaxContext = maxContext;
        _embedding = embedding;
        _layers = layers;
        _norm = norm;
        _head = head;
        _groups = config.Heads / config.KvHeads;
        _scale = 1 / Math.Sqrt(config.HeadDim);
        (_cos, _sin) = RotaryTables(config, maxContext, device);
    }

    public ModelConfig Config { get; }
    public Device Device { get; }
    public int MaxContext { get; }

    /// <summary>Bytes of the weights (f32).</summary>
    public long WeightBytes => Config.ParameterCount * 4;

    /// <summary>Bytes of KV cache one position takes.</summary>
    public long KvBytesPerToken => 2L * Config.Layers * Config.KvHeads * Config.HeadDim * 4;

    public KvCache NewCache(int capacity) => new(Config.Layers, Config.KvHeads, capacity, Config.HeadDim, Device);

    public static DecoderModel Load(ModelConfig config, WeightSet weights, Device device, int maxContext, Action<double>? progress)
    {
        long h = config.HiddenSize, d = config.HeadDim, q = config.Heads * d, kv = config.KvHeads * d, ffn = config.IntermediateSize;
        var total = config.Layers + 2.0;
        var owned = new List<Tensor>();
        Tensor Read(string name, params long[] shape)
        {
            var values = weights.Read(name, shape);
            var t = tensor(values, shape, ScalarType.Float32).to(device);
            owned.Add(t);
            return t;
        }
        Tensor Fused(params Tensor[] parts)
        {
            var t = cat(parts, 0);
            foreach (var p in parts)
            {
                owned.Remove(p);
                p.Dispose();
            }
            owned.Add(t);
            return t;
        }
        try
        {
            using var noGrad = no_grad();
            var embedding = Read("model.embed_tokens.weight", config.VocabSize, h);
            progress?.Invoke(1 / total);
            var layers = new Layer[config.Layers];
            for (var i = 0; i < config.Layers; i++)
            {
                var p = $"model.layers.{i}.";
                var qkv = Fused(Read(p + "self_attn.q_proj.weight", q, h), Read(p + "self_attn.k_proj.weight", kv, h), Read(p + "self_attn.v_proj.weight", kv, h));
                var bias = config.AttentionBias
                    ? Fused(Read(p + "self_attn.q_proj.bias", q), Read(p + "self_attn.k_proj.bias", kv), Read(p + "self_attn.v_proj.bias", kv))
                    : null;
                layers[i] = new Layer(
                    Read(p + "input_layernorm.weight", h), qkv, bias,
                    Read(p + "self_attn.o_proj.weight", h, q),
                    Read(p + "post_attention_layernorm.weight", h),
                    Fused(Read(p + "mlp.gate_proj.weight", ffn, h), Read(p + "mlp.up_proj.weight", ffn, h)),
                    Read(p + "mlp.down_proj.weight", h, ffn));
                progress?.Invoke((i + 2) / total);
            }
            var norm = Read("model.norm.weight", h);
            var head = config.TieWordEmbeddings ? embedding : Read("lm_head.weight", config.VocabSize, h);
            progress?.Invoke(1);
            return new DecoderModel(config, device, maxContext, embedding, layers, norm, head);
        }
        catch
        {
            foreach (var t in owned)
                t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One forward pass over several sequences at once: each brings the tokens not yet in its cache (a whole prompt
    /// remainder when prefilling, one token when decoding). Rows of all sequences share the matrix products; attention
    /// runs per sequence over its own cache, so no padding is needed. Returns each sequence's last-position logits.
    /// </summary>
    public float[][] Forward(IReadOnlyList<(KvCache Cache, int[] Tokens)> batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = batch.Sum(b => b.Tokens.Length);
        var ids = new long[rows];
        var positions = new long[rows];
        var last = new long[batch.Count];
        var row = 0;
        for (var s = 0; s < batch.Count; s++)
        {
            var (cache, tokens) = batch[s];
            if (cache.Length + tokens.Length > cache.Capacity)
                throw new InvalidOperationException("A sequence outgrew its KV cache.");
            for (var t = 0; t < tokens.Length; t++, row++)
            {
                ids[row] = tokens[t];
                positions[row] = cache.Length + t;
            }
            last[s] = row - 1;
        }
        var idTensor = tensor(ids, device: Device);
        var posTensor = tensor(positions, device: Device);
        // Few rows (decode) on the CPU: fused one-pass kernels; otherwise libtorch ops over gathered tables.
        var fused = Device.type == DeviceType.CPU && rows <= SmallBatchLinear.MaxRows;
        var cos = fused ? null : _cos.index_select(0, posTensor).unsqueeze(1);
        var sin = fused ? null : _sin.index_select(0, posTensor).unsqueeze(1);

        int heads = Config.Heads, kvHeads = Config.KvHeads, headDim = Config.HeadDim;
        var x = _embedding.index_select(0, idTensor);
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            var qkv = Linear(RmsNorm(x, layer.AttentionNorm, fused), layer.Qkv, layer.QkvBias);
            var parts = qkv.split([heads * headDim, kvHeads * headDim, kvHeads * headDim], 1);
            // Scaling the queries once scales every score (one op per layer instead of one per sequence).
            var q = fused
                ? SmallBatchOps.Rotate(parts[0].view(rows, heads, headDim), _cos, _sin, positions, (float)_scale)
                : Rotate(parts[0].view(rows, heads, headDim), cos!, sin!).mul_(_scale);
            var k = fused
                ? SmallBatchOps.Rotate(parts[1].view(rows, kvHeads, headDim), _cos, _sin, positions, 1f)
                : Rotate(parts[1].view(rows, kvHeads, headDim), cos!, sin!);
            var v = parts[2].view(rows, kvHeads, headDim);

            if (fused && rows == batch.Count)
            {
                // Every sequence brings one token: the whole attention step in one kernel call.
                x = x.add(Linear(DecodeAttention.Run(q, k, qkv, batch, l, heads, kvHeads, headDim), layer.Output));
            }
            else
            {
                x = x.add(Linear(Attention(q, k, v, batch, l), layer.Output));
            }
            var gateUp = Linear(RmsNorm(x, layer.MlpNorm, fused), layer.GateUp).chunk(2, 1);
            x = x.add(Linear(F.silu(gateUp[0]).mul_(gateUp[1]), layer.Down));
        }
        foreach (var (cache, tokens) in batch)
            cache.Length += tokens.Length;

        var lastRows = x.index_select(0, tensor(last, device: Device));
        var logits = Linear(RmsNorm(lastRows, _norm, SmallBatchOps.Applies(lastRows)), _head).cpu();
        var flat = logits.data<float>().ToArray();
        var vocab = Config.VocabSize;
        var result = new float[batch.Count][];
        for (var s = 0; s < batch.Count; s++)
            result[s] = flat.AsSpan(s * vocab, vocab).ToArray();
        return result;
    }

    // Attention sequence by sequence with libtorch ops: prefill pieces (causal within the piece) and decode rows.
    private Tensor Attention(Tensor q, Tensor k, Tensor v, IReadOnlyList<(KvCache Cache, int[] Tokens)> batch, int l)
    {
        int heads = Config.Heads, kvHeads = Config.KvHeads, headDim = Config.HeadDim;
        {
            var outputs = new Tensor[batch.Count];
            var offset = 0;
            for (var s = 0; s < batch.Count; s++)
            {
                var (cache, tokens) = batch[s];
                int count = tokens.Length, past = cache.Length, length = past + count;
                var layerKeys = cache.LayerKeys[l];
                var layerValues = cache.LayerValues[l];
                if (count == 1)
                {
                    // Decode: one row per sequence, so [1, kv heads, dim] is already [kv heads, 1, dim] in memory and
                    // the query heads of one kv head are adjacent; no permutes needed.
                    layerKeys.narrow(1, past, 1).copy_(k.narrow(0, offset, 1).reshape(kvHeads, 1, headDim));
                    layerValues.narrow(1, past, 1).copy_(v.narrow(0, offset, 1).reshape(kvHeads, 1, headDim));
                    var scores1 = matmul(q.narrow(0, offset, 1).reshape(kvHeads, _groups, headDim), layerKeys.narrow(1, 0, length).transpose(1, 2));
                    outputs[s] = matmul(scores1.softmax(-1), layerValues.narrow(1, 0, length)).reshape(1, heads * headDim);
                    offset += 1;
                    continue;
                }
                layerKeys.narrow(1, past, count).copy_(k.narrow(0, offset, count).permute(1, 0, 2));
                layerValues.narrow(1, past, count).copy_(v.narrow(0, offset, count).permute(1, 0, 2));
                var keys = layerKeys.narrow(1, 0, length);
                var values = layerValues.narrow(1, 0, length);
                // Query heads grouped by the kv head they share: [kv heads, group × tokens, head dim].
                var query = q.narrow(0, offset, count).permute(1, 0, 2).reshape(kvHeads, _groups * count, headDim);
                var scores = matmul(query, keys.transpose(1, 2))
                    .view(kvHeads, _groups, count, length).add_(CausalMask(count, past)).view(kvHeads, _groups * count, length);
                var attended = matmul(scores.softmax(-1), values);
                outputs[s] = attended.view(heads, count, headDim).permute(1, 0, 2).reshape(count, heads * headDim);
                offset += count;
            }
            return outputs.Length == 1 ? outputs[0] : cat(outputs, 0);
        }
    }

    private static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        SmallBatchLinear.Applies(x) ? SmallBatchLinear.Apply(x, weight, bias) : F.linear(x, weight, bias);

    private Tensor RmsNorm(Tensor x, Tensor weight, bool fused) => fused
        ? SmallBatchOps.RmsNorm(x, weight, Config.RmsNormEps)
        : x.mul(x.pow(2).mean([-1], keepdim: true).add_(Config.RmsNormEps).rsqrt_()).mul_(weight);

    // Rotary embedding in the rotate-half layout (Hugging Face's, llama.cpp's NEOX mode).
    private static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return x.mul(cos).add_(rotated.mul_(sin));
    }

    private Tensor CausalMask(int count, int past)
    {
        // Row t (position past + t) sees keys 0..past + t.
        return full(count, past + count, float.NegativeInfinity, ScalarType.Float32, Device).triu_(past + 1);
    }

    private static (Tensor Cos, Tensor Sin) RotaryTables(ModelConfig config, int maxContext, Device device)
    {
        var dim = config.HeadDim;
        var cos = new float[maxContext * dim];
        var sin = new float[maxContext * dim];
        for (var p = 0; p < maxContext; p++)
        {
            for (var i = 0; i < dim / 2; i++)
            {
                var angle = p / Math.Pow(config.RopeTheta, 2.0 * i / dim);
                cos[p * dim + i] = cos[p * dim + i + dim / 2] = (float)Math.Cos(angle);
                sin[p * dim + i] = sin[p * dim + i + dim / 2] = (float)Math.Sin(angle);
            }
        }
        return (tensor(cos, [maxContext, dim]).to(device), tensor(sin, [maxContext, dim]).to(device));
    }

    public void Dispose()
    {
        _embedding.Dispose();
        if (!ReferenceEquals(_head, _embedding))
            _head.Dispose();
        _norm.Dispose();
        _cos.Dispose();
        _sin.Dispose();
        foreach (var l in _layers)
        {
            l.AttentionNorm.Dispose();
            l.Qkv.Dispose();
            l.QkvBias?.Dispose();
            l.Output.Dispose();
            l.MlpNorm.Dispose();
            l.GateUp.Dispose();
            l.Down.Dispose();
        }
    }
}
