using System.Text.Json.Nodes;
using Cocoon.Inference.Tokenization;

namespace Cocoon.Inference.Loading;

/// <summary>
/// The built-in <c>cocoon-tiny</c> model: a small Qwen2-shaped decoder with GPT-2's real byte-level BPE tokenizer
/// plus ChatML tokens, its weights drawn from a fixed seed. It is written as an ordinary Hugging Face model folder
/// and served by the same loader as real models, so it exercises every part of the engine.
/// </summary>
public static class TinyModel
{
    public const string Name = "cocoon-tiny";
    public const int Seed = 20240607;
    public const int EndOfTextId = 50256, ImStartId = 50257, ImEndId = 50258;

    /// <summary>The tiny model's shape: hidden 64, 2 layers, 4 heads sharing 2 kv heads, GPT-2 vocabulary + 3 specials.</summary>
    public static ModelConfig Config { get; } = new()
    {
        Architecture = "Qwen2ForCausalLM",
        HiddenSize = 64,
        IntermediateSize = 192,
        Layers = 2,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 16,
        VocabSize = 50259,
        RmsNormEps = 1e-6f,
        RopeTheta = 1_000_000,
        MaxPositionEmbeddings = 4096,
        TieWordEmbeddings = true,
        BosTokenId = EndOfTextId,
        EosTokenIds = [EndOfTextId],
    };

    /// <summary>Writes the tiny model into <paramref name="folder"/> unless a complete copy is already there.</summary>
    public static void EnsureGenerated(string folder, IProgress<ModelLoadProgress>? progress = null) =>
        EnsureGenerated(folder, Config, Name, Seed, progress);

    /// <summary>Writes a seeded random model of any shape with the GPT-2 + ChatML tokenizer (benchmarks use bigger ones).</summary>
    public static void EnsureGenerated(string folder, ModelConfig config, string name, int seed, IProgress<ModelLoadProgress>? progress = null,
        TensorDType dtype = TensorDType.F32)
    {
        if (IsComplete(folder))
            return;
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            progress?.Report(new ModelLoadProgress(name, "generating", 0));
            WriteTokenizer(staging);
            progress?.Report(new ModelLoadProgress(name, "generating", 0.3));
            File.WriteAllText(Path.Combine(staging, "config.json"), config.ToJson().ToJsonString());
            SafeTensorsWriter.Write(Path.Combine(staging, "model.safetensors"), RandomWeights(config, seed, dtype),
                new Dictionary<string, string> { ["format"] = "pt" });
            progress?.Report(new ModelLoadProgress(name, "generating", 1));
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (IsComplete(folder))
            {
                // Another process generated it first; theirs is identical.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, "config.json")) && File.Exists(Path.Combine(folder, "model.safetensors"))
        && File.Exists(Path.Combine(folder, "tokenizer.json"));

    private static void WriteTokenizer(string folder)
    {
        var ranks = Gpt2Vocabulary.LoadRanks();
        var merges = Gpt2Vocabulary.RecoverMerges(ranks);
        var specials = new List<(int, string)> { (EndOfTextId, Gpt2Vocabulary.EndOfText), (ImStartId, "<|im_start|>"), (ImEndId, "<|im_end|>") };
        var vocabulary = ranks.Concat(specials.Select(s => System.Text.Encoding.UTF8.GetBytes(s.Item2))).ToList();
        TokenizerJson.Write(Path.Combine(folder, "tokenizer.json"), vocabulary, merges, specials);
        var tokenizerConfig = new JsonObject
        {
            ["model_max_length"] = 4096,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = Gpt2Vocabulary.EndOfText,
            ["bos_token"] = null,
            ["chat_template"] = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig.ToJsonString());
    }

    // Scales keep activations O(1) and make the tied head's logits spread by several units, so greedy choices are
    // far from ties and two correct implementations agree on them.
    private static IEnumerable<SafeTensorsWriter.Tensor> RandomWeights(ModelConfig c, int seed, TensorDType dtype)
    {
        var random = new Random(seed);
        long h = c.HiddenSize, q = c.Heads * c.HeadDim, kv = c.KvHeads * c.HeadDim, ffn = c.IntermediateSize;
        SafeTensorsWriter.Tensor Normal(string name, double std, params long[] shape) =>
            new(name, dtype, shape, dtype.FromSingle(Gaussian(random, shape.Aggregate(1L, (a, b) => a * b), std, 0)));
        SafeTensorsWriter.Tensor Around(string name, double mean, double std, params long[] shape) =>
            new(name, dtype, shape, dtype.FromSingle(Gaussian(random, shape.Aggregate(1L, (a, b) => a * b), std, mean)));

        yield return Normal("model.embed_tokens.weight", 1.0, c.VocabSize, h);
        for (var i = 0; i < c.Layers; i++)
        {
            var p = $"model.layers.{i}.";
            yield return Around(p + "input_layernorm.weight", 1, 0.1, h);
            yield return Normal(p + "self_attn.q_proj.weight", 1 / Math.Sqrt(h), q, h);
            yield return Normal(p + "self_attn.k_proj.weight", 1 / Math.Sqrt(h), kv, h);
            yield return Normal(p + "self_attn.v_proj.weight", 1 / Math.Sqrt(h), kv, h);
            if (c.AttentionBias)
            {
                yield return Normal(p + "self_attn.q_proj.bias", 0.1, q);
                yield return Normal(p + "self_attn.k_proj.bias", 0.1, kv);
                yield return Normal(p + "self_attn.v_proj.bias", 0.1, kv);
            }
            yield return Normal(p + "self_attn.o_proj.weight", 1 / Math.Sqrt(q), h, q);
            yield return Around(p + "post_attention_layernorm.weight", 1, 0.1, h);
            yield return Normal(p + "mlp.gate_proj.weight", 1 / Math.Sqrt(h), ffn, h);
            yield return Normal(p + "mlp.up_proj.weight", 1 / Math.Sqrt(h), ffn, h);
            yield return Normal(p + "mlp.down_proj.weight", 1 / Math.Sqrt(ffn), h, ffn);
        }
        yield return Around("model.norm.weight", 1, 0.1, h);
        if (!c.TieWordEmbeddings)
            yield return Normal("lm_head.weight", 1.0, c.VocabSize, h);
    }

    private static float[] Gaussian(Random random, long count, double std, double mean)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            // Box-Muller from the seeded generator: identical on every machine.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }
}
