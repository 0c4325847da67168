using System.Text;
using System.Text.RegularExpressions;

namespace Cocoon.Inference.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer (GPT-2, Qwen2, Llama 3 family): the text is split by a pre-tokenizer regex, each
/// piece's UTF-8 bytes are merged by rank, and added (special) tokens are matched verbatim before any of that.
/// Thread-safe after construction.
/// </summary>
public sealed class ByteLevelBpeTokenizer
{
    /// <summary>GPT-2's pre-tokenizer pattern.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly Dictionary<BytesKey, int> _tokenIds = new();
    private readonly byte[][] _tokenBytes;
    private readonly Dictionary<(int Left, int Right), (int Rank, int Merged)> _merges = new();
    private readonly Dictionary<string, int> _addedTokens;
    private readonly Regex? _addedTokenSplitter;
    private readonly Regex _preTokenizer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _pieceCache = new();

    /// <param name="vocabulary">Token id → bytes, for every id below the vocabulary size (gaps allowed as null).</param>
    /// <param name="merges">Pairs of token ids in rank order (first merges first).</param>
    /// <param name="addedTokens">Tokens matched verbatim in text (special tokens), by content.</param>
    /// <param name="specialTokenIds">Ids of control tokens: never produced by decoding into text.</param>
    public ByteLevelBpeTokenizer(
        IReadOnlyList<byte[]?> vocabulary,
        IReadOnlyList<(int Left, int Right)> merges,
        IReadOnlyDictionary<string, int> addedTokens,
        IReadOnlySet<int> specialTokenIds,
        string preTokenizerPattern = Gpt2Pattern)
    {
        _tokenBytes = new byte[vocabulary.Count][];
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var bytes = vocabulary[id] ?? [];
            _tokenBytes[id] = bytes;
            if (bytes.Length > 0 && !addedTokens.Values.Contains(id))
                _tokenIds.TryAdd(new BytesKey(bytes), id);
        }
        for (var i = 0; i < 256; i++)
        {
            if (!_tokenIds.ContainsKey(new BytesKey([(byte)i])))
                throw new ArgumentException($"The vocabulary lacks the single byte 0x{i:x2}: not a byte-level BPE vocabulary.");
        }
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            var merged = Concat(_tokenBytes[left], _tokenBytes[right]);
            if (!_tokenIds.TryGetValue(new BytesKey(merged), out var mergedId))
                throw new ArgumentException($"Merge #{rank} produces a token missing from the vocabulary.");
            _merges.TryAdd((left, right), (rank, mergedId));
        }
        Merges = [.. merges];
        _addedTokens = new Dictionary<string, int>(addedTokens);
        SpecialTokenIds = specialTokenIds;
        if (_addedTokens.Count > 0)
        {
            var alternatives = _addedTokens.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape);
            _addedTokenSplitter = new Regex("(" + string.Join('|', alternatives) + ")", RegexOptions.CultureInvariant);
        }
        _preTokenizer = new Regex(preTokenizerPattern, RegexOptions.CultureInvariant);
        PreTokenizerPattern = preTokenizerPattern;
    }

    public int VocabularySize => _tokenBytes.Length;

    /// <summary>Merges in rank order, as token id pairs.</summary>
    public IReadOnlyList<(int Left, int Right)> Merges { get; }
    public IReadOnlySet<int> SpecialTokenIds { get; }
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;
    public string PreTokenizerPattern { get; }

    public int? TokenId(string addedToken) => _addedTokens.TryGetValue(addedToken, out var id) ? id : null;

    /// <summary>The bytes of a token (empty for ids outside the vocabulary).</summary>
    public ReadOnlySpan<byte> TokenBytes(int id) => (uint)id < (uint)_tokenBytes.Length ? _tokenBytes[id] : [];

    /// <summary>Tokenizes text; added tokens in it are recognized when <paramref name="parseSpecialTokens"/> is set.</summary>
    public int[] Encode(string text, bool parseSpecialTokens = true)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        if (parseSpecialTokens && _addedTokenSplitter is not null)
        {
            var start = 0;
            foreach (Match m in _addedTokenSplitter.Matches(text))
            {
                EncodeOrdinary(text.AsSpan(start, m.Index - start), ids);
                ids.Add(_addedTokens[m.Value]);
                start = m.Index + m.Length;
            }
            EncodeOrdinary(text.AsSpan(start), ids);
        }
        else
        {
            EncodeOrdinary(text, ids);
        }
        return [.. ids];
    }

    /// <summary>Counts the tokens <see cref="Encode"/> would produce.</summary>
    public int Count(string text, bool parseSpecialTokens = true) => Encode(text, parseSpecialTokens).Length;

    /// <summary>The UTF-8 bytes of a token sequence (special tokens render as their text).</summary>
    public byte[] DecodeBytes(IEnumerable<int> ids)
    {
        var buffer = new List<byte>();
        foreach (var id in ids)
            buffer.AddRange(TokenBytes(id).ToArray());
        return [.. buffer];
    }

    public string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(DecodeBytes(ids));

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        if (text.IsEmpty)
            return;
        foreach (var match in _preTokenizer.EnumerateMatches(text))
        {
            var piece = text.Slice(match.Index, match.Length).ToString();
            ids.AddRange(_pieceCache.Count < 100_000 ? _pieceCache.GetOrAdd(piece, EncodePiece) : EncodePiece(piece));
        }
    }

    private int[] EncodePiece(string piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        if (_tokenIds.TryGetValue(new BytesKey(bytes), out var whole))
            return [whole];
        var parts = new List<int>(bytes.Length);
        foreach (var b in bytes)
            parts.Add(_tokenIds[new BytesKey([b])]);
        // Classic BPE: repeatedly merge the adjacent pair with the lowest rank.
        while (parts.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            var bestMerged = 0;
            for (var i = 0; i < parts.Count - 1; i++)
            {
                if (_merges.TryGetValue((parts[i], parts[i + 1]), out var merge) && merge.Rank < bestRank)
                {
                    (best, bestRank, bestMerged) = (i, merge.Rank, merge.Merged);
                }
            }
            if (best < 0)
                break;
            parts[best] = bestMerged;
            parts.RemoveAt(best + 1);
        }
        return [.. parts];
    }

    internal static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }
}
