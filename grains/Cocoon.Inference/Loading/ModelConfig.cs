using System.Text.Json.Nodes;

namespace Cocoon.Inference.Loading;

/// <summary>The decoder's shape, from a Hugging Face <c>config.json</c> (Llama / Qwen2 / Mistral family).</summary>
public sealed record ModelConfig
{
    public static readonly IReadOnlySet<string> SupportedArchitectures =
        new HashSet<string>(StringComparer.Ordinal) { "Qwen2ForCausalLM", "LlamaForCausalLM", "MistralForCausalLM" };

    public required string Architecture { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int VocabSize { get; init; }
    public int HeadDim { get; init; }
    public float RmsNormEps { get; init; } = 1e-6f;
    public double RopeTheta { get; init; } = 10000;
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Qwen2 has biases on the q, k and v projections; Llama does not.</summary>
    public bool AttentionBias => Architecture == "Qwen2ForCausalLM";

    public static ModelConfig Read(string path)
    {
        if (!File.Exists(path))
            throw new ModelLoadException($"{path} is missing: a model folder needs config.json.");
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new ModelLoadException($"{path} is empty.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
        var architecture = (string?)root["architectures"]?.AsArray().FirstOrDefault() ?? "(none)";
        if (!SupportedArchitectures.Contains(architecture))
            throw new ModelLoadException($"{path}: architecture {architecture} is not supported (supported: {string.Join(", ", SupportedArchitectures)}).");
        try
        {
            int Required(string key) => (int?)root[key] ?? throw new ModelLoadException($"{path} lacks \"{key}\".");
            var hidden = Required("hidden_size");
            var heads = Required("num_attention_heads");
            var config = new ModelConfig
            {
                Architecture = architecture,
                HiddenSize = hidden,
                IntermediateSize = Required("intermediate_size"),
                Layers = Required("num_hidden_layers"),
                Heads = heads,
                KvHeads = (int?)root["num_key_value_heads"] ?? heads,
                VocabSize = Required("vocab_size"),
                HeadDim = (int?)root["head_dim"] ?? hidden / heads,
                RmsNormEps = (float?)root["rms_norm_eps"] ?? 1e-6f,
                RopeTheta = (double?)root["rope_theta"] ?? 10000,
                MaxPositionEmbeddings = (int?)root["max_position_embeddings"] ?? 2048,
                TieWordEmbeddings = (bool?)root["tie_word_embeddings"] ?? false,
                BosTokenId = (int?)root["bos_token_id"],
                EosTokenIds = root["eos_token_id"] switch
                {
                    JsonArray a => a.Select(n => (int)n!).ToArray(),
                    JsonValue v => [(int)v],
                    _ => [],
                },
            };
            if (config.Heads % config.KvHeads != 0 || config.HiddenSize <= 0 || config.Layers <= 0 || config.HeadDim % 2 != 0)
                throw new ModelLoadException($"{path}: inconsistent shape (heads {config.Heads}, kv heads {config.KvHeads}, head dim {config.HeadDim}).");
            return config;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{path} has a malformed value: {e.Message}", e);
        }
    }

    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray(Architecture),
        ["model_type"] = Architecture == "Qwen2ForCausalLM" ? "qwen2" : Architecture == "MistralForCausalLM" ? "mistral" : "llama",
        ["hidden_size"] = HiddenSize,
        ["intermediate_size"] = IntermediateSize,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = Heads,
        ["num_key_value_heads"] = KvHeads,
        ["head_dim"] = HeadDim,
        ["vocab_size"] = VocabSize,
        ["rms_norm_eps"] = RmsNormEps,
        ["rope_theta"] = RopeTheta,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenIds.Count == 1 ? EosTokenIds[0] : new JsonArray(EosTokenIds.Select(i => (JsonNode)i).ToArray()),
        ["hidden_act"] = "silu",
        ["torch_dtype"] = "float32",
    };

    /// <summary>Parameter count (embeddings and head included once when tied).</summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, d = HeadDim, q = (long)Heads * d, kv = (long)KvHeads * d;
            var attention = h * q + 2 * h * kv + q * h + (AttentionBias ? q + 2 * kv : 0);
            var mlp = 3 * h * IntermediateSize;
            var perLayer = attention + mlp + 2 * h;
            return Layers * perLayer + VocabSize * h * (TieWordEmbeddings ? 1 : 2) + h;
        }
    }
}
