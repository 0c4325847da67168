using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cocoon.Inference.Tokenization;

/// <summary>Reads and writes the Hugging Face <c>tokenizer.json</c> of byte-level BPE models.</summary>
public static class TokenizerJson
{
    public static ByteLevelBpeTokenizer Read(string path)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new ModelLoadException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
        var model = root["model"] ?? throw new ModelLoadException($"{path} has no \"model\".");
        var type = (string?)model["type"];
        if (type != "BPE")
            throw new ModelLoadException($"{path}: tokenizer model \"{type}\" is not supported (byte-level BPE only).");
        if (model["vocab"] is not JsonObject vocab)
            throw new ModelLoadException($"{path} has no model.vocab.");

        var added = new Dictionary<string, int>();
        var special = new HashSet<int>();
        foreach (var token in root["added_tokens"]?.AsArray() ?? [])
        {
            var id = (int)token!["id"]!;
            var content = (string)token["content"]!;
            added[content] = id;
            if ((bool?)token["special"] ?? false)
                special.Add(id);
        }

        var size = Math.Max(vocab.Select(p => (int)p.Value!).DefaultIfEmpty(-1).Max(), added.Values.DefaultIfEmpty(-1).Max()) + 1;
        var bytes = new byte[]?[size];
        var byContent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (content, idNode) in vocab)
        {
            var id = (int)idNode!;
            byContent[content] = id;
            bytes[id] = ByteLevelAlphabet.Decode(content) ?? Encoding.UTF8.GetBytes(content);
        }
        foreach (var (content, id) in added)
            bytes[id] = Encoding.UTF8.GetBytes(content);

        var merges = new List<(int, int)>();
        foreach (var merge in model["merges"]?.AsArray() ?? [])
        {
            string left, right;
            if (merge is JsonArray pair)
            {
                (left, right) = ((string)pair[0]!, (string)pair[1]!);
            }
            else
            {
                var text = (string)merge!;
                var space = text.IndexOf(' ', 1);
                if (space < 0)
                    throw new ModelLoadException($"{path}: malformed merge \"{text}\".");
                (left, right) = (text[..space], text[(space + 1)..]);
            }
            if (!byContent.TryGetValue(left, out var l) || !byContent.TryGetValue(right, out var r))
                throw new ModelLoadException($"{path}: merge \"{left} {right}\" names a token missing from the vocabulary.");
            merges.Add((l, r));
        }

        try
        {
            return new ByteLevelBpeTokenizer(bytes, merges, added, special, PreTokenizerPattern(root["pre_tokenizer"]) ?? ByteLevelBpeTokenizer.Gpt2Pattern);
        }
        catch (ArgumentException e)
        {
            throw new ModelLoadException($"{path}: {e.Message}", e);
        }
    }

    // The Split pre-tokenizer's regex (Qwen2, Llama 3) if there is one; plain ByteLevel means GPT-2's pattern.
    private static string? PreTokenizerPattern(JsonNode? node)
    {
        if (node is null)
            return null;
        if ((string?)node["type"] == "Split" && node["pattern"]?["Regex"] is JsonNode regex)
            return (string?)regex;
        foreach (var child in node["pretokenizers"]?.AsArray() ?? [])
        {
            if (PreTokenizerPattern(child) is { } pattern)
                return pattern;
        }
        return null;
    }

    /// <summary>Writes a GPT-2-style tokenizer.json (ByteLevel pre-tokenizer and decoder, BPE model).</summary>
    public static void Write(string path, IReadOnlyList<byte[]> vocabulary, IReadOnlyList<(int Left, int Right)> merges,
        IReadOnlyList<(int Id, string Content)> specialTokens)
    {
        var specialIds = specialTokens.Select(s => s.Id).ToHashSet();
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            if (!specialIds.Contains(id))
                vocab[ByteLevelAlphabet.Encode(vocabulary[id])] = id;
        }
        foreach (var (id, content) in specialTokens)
            vocab[content] = id;
        var mergeArray = new JsonArray();
        foreach (var (l, r) in merges)
            mergeArray.Add(ByteLevelAlphabet.Encode(vocabulary[l]) + " " + ByteLevelAlphabet.Encode(vocabulary[r]));
        var added = new JsonArray();
        foreach (var (id, content) in specialTokens)
        {
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false,
                ["vocab"] = vocab, ["merges"] = mergeArray,
            },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
