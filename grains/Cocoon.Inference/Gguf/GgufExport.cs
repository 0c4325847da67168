using Cocoon.Inference.Loading;
using Cocoon.Inference.Tokenization;

namespace Cocoon.Inference.Gguf;

/// <summary>
/// Exports a Qwen2 model folder as an f32 GGUF for llama.cpp (architecture <c>qwen2</c>, GPT-2-style BPE
/// tokenizer metadata), so an independent implementation can run the very same weights.
/// </summary>
public static class GgufExport
{
    public static void Write(string modelFolder, string ggufPath)
    {
        var config = ModelConfig.Read(Path.Combine(modelFolder, "config.json"));
        if (config.Architecture != "Qwen2ForCausalLM")
            throw new ModelLoadException($"GGUF export supports Qwen2 models; {modelFolder} is {config.Architecture}.");
        var tokenizer = TokenizerJson.Read(Path.Combine(modelFolder, "tokenizer.json"));
        var tokens = new List<string>(config.VocabSize);
        var types = new List<int>(config.VocabSize);
        var added = tokenizer.AddedTokens.ToDictionary(p => p.Value, p => p.Key);
        for (var id = 0; id < config.VocabSize; id++)
        {
            if (added.TryGetValue(id, out var content))
            {
                tokens.Add(content);
                types.Add(tokenizer.SpecialTokenIds.Contains(id) ? 3 : 4); // control : user-defined
            }
            else if (id < tokenizer.VocabularySize && tokenizer.TokenBytes(id).Length > 0)
            {
                tokens.Add(ByteLevelAlphabet.Encode(tokenizer.TokenBytes(id)));
                types.Add(1); // normal
            }
            else
            {
                tokens.Add($"[PAD{id}]");
                types.Add(5); // unused
            }
        }
        var merges = tokenizer.Merges.Select(m => ByteLevelAlphabet.Encode(tokenizer.TokenBytes(m.Left)) + " " + ByteLevelAlphabet.Encode(tokenizer.TokenBytes(m.Right))).ToList();

        var gguf = new GgufWriter()
            .Add("general.architecture", "qwen2")
            .Add("general.name", Path.GetFileName(Path.GetFullPath(modelFolder).TrimEnd('/')))
            .Add("general.alignment", 32u)
            .Add("qwen2.context_length", (uint)config.MaxPositionEmbeddings)
            .Add("qwen2.embedding_length", (uint)config.HiddenSize)
            .Add("qwen2.block_count", (uint)config.Layers)
            .Add("qwen2.feed_forward_length", (uint)config.IntermediateSize)
            .Add("qwen2.attention.head_count", (uint)config.Heads)
            .Add("qwen2.attention.head_count_kv", (uint)config.KvHeads)
            .Add("qwen2.rope.freq_base", (float)config.RopeTheta)
            .Add("qwen2.attention.layer_norm_rms_epsilon", config.RmsNormEps)
            .Add("general.file_type", 0u)
            .Add("tokenizer.ggml.model", "gpt2")
            .Add("tokenizer.ggml.pre", "gpt-2")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.merges", merges)
            .Add("tokenizer.ggml.add_bos_token", false);
        if (config.BosTokenId is { } bos)
            gguf.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (config.EosTokenIds.Count > 0)
            gguf.Add("tokenizer.ggml.eos_token_id", (uint)config.EosTokenIds[0]);

        using var weights = new WeightSet(modelFolder);
        long h = config.HiddenSize, q = config.Heads * config.HeadDim, kv = config.KvHeads * config.HeadDim, ffn = config.IntermediateSize;
        void Tensor(string ggufName, string hfName, params long[] shape) => gguf.AddTensor(ggufName, shape, weights.Read(hfName, shape));
        Tensor("token_embd.weight", "model.embed_tokens.weight", config.VocabSize, h);
        for (var i = 0; i < config.Layers; i++)
        {
            var p = $"model.layers.{i}.";
            var b = $"blk.{i}.";
            Tensor(b + "attn_norm.weight", p + "input_layernorm.weight", h);
            Tensor(b + "attn_q.weight", p + "self_attn.q_proj.weight", q, h);
            Tensor(b + "attn_k.weight", p + "self_attn.k_proj.weight", kv, h);
            Tensor(b + "attn_v.weight", p + "self_attn.v_proj.weight", kv, h);
            Tensor(b + "attn_q.bias", p + "self_attn.q_proj.bias", q);
            Tensor(b + "attn_k.bias", p + "self_attn.k_proj.bias", kv);
            Tensor(b + "attn_v.bias", p + "self_attn.v_proj.bias", kv);
            Tensor(b + "attn_output.weight", p + "self_attn.o_proj.weight", h, q);
            Tensor(b + "ffn_norm.weight", p + "post_attention_layernorm.weight", h);
            Tensor(b + "ffn_gate.weight", p + "mlp.gate_proj.weight", ffn, h);
            Tensor(b + "ffn_up.weight", p + "mlp.up_proj.weight", ffn, h);
            Tensor(b + "ffn_down.weight", p + "mlp.down_proj.weight", h, ffn);
        }
        Tensor("output_norm.weight", "model.norm.weight", h);
        if (!config.TieWordEmbeddings)
            Tensor("output.weight", "lm_head.weight", config.VocabSize, h);
        gguf.Write(ggufPath);
    }
}
