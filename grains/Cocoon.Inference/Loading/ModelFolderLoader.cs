using System.Text.Json.Nodes;
using Cocoon.Inference.Models;
using Cocoon.Inference.Tokenization;
using TorchSharp;

namespace Cocoon.Inference.Loading;

/// <summary>Loads a Hugging Face model folder: config.json, safetensors (single or sharded), tokenizer.json.</summary>
internal static class ModelFolderLoader
{
    public static LoadedModel Load(string name, string folder, torch.Device device, int? maxContext,
        IProgress<ModelLoadProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            throw new ModelLoadException($"Model folder {folder} does not exist.");
        var config = ModelConfig.Read(Path.Combine(folder, "config.json"));
        cancellationToken.ThrowIfCancellationRequested();

        progress?.Report(new ModelLoadProgress(name, "tokenizer", 0));
        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
            throw new ModelLoadException($"{folder} has no tokenizer.json.");
        var tokenizer = TokenizerJson.Read(tokenizerPath);
        if (tokenizer.VocabularySize > config.VocabSize)
            throw new ModelLoadException($"{tokenizerPath} has {tokenizer.VocabularySize} tokens; the model's vocab_size is {config.VocabSize}.");

        var context = Math.Min(config.MaxPositionEmbeddings, maxContext ?? config.MaxPositionEmbeddings);
        using var weights = new WeightSet(folder);
        var decoder = DecoderModel.Load(config, weights, device, context,
            f => progress?.Report(new ModelLoadProgress(name, "weights", f)));
        progress?.Report(new ModelLoadProgress(name, "ready", 1));
        return new LoadedModel(name, decoder, tokenizer, ChatTemplateOf(folder), StopTokens(config, tokenizer));
    }

    // tokenizer_config.json's Jinja template is not executed; its dialect is recognized. ChatML is the default.
    private static ChatTemplate ChatTemplateOf(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return ChatTemplate.ChatMl;
        var template = (string?)JsonNode.Parse(File.ReadAllText(path))?["chat_template"];
        if (template is not null && template.Contains("<|start_header_id|>", StringComparison.Ordinal))
            return new ChatTemplate("<|start_header_id|>", "<|end_header_id|>\n\n", "<|eot_id|>", "assistant");
        return ChatTemplate.ChatMl;
    }

    private static HashSet<int> StopTokens(ModelConfig config, ByteLevelBpeTokenizer tokenizer)
    {
        var stops = new HashSet<int>(config.EosTokenIds);
        foreach (var marker in new[] { "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>" })
        {
            if (tokenizer.TokenId(marker) is { } id)
                stops.Add(id);
        }
        return stops;
    }
}
