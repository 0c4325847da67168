using TorchSharp;
using static TorchSharp.torch;

namespace Cocoon.Inference.Generation;

/// <summary>
/// Recently computed prompt KV entries, least recently used first out within a byte budget. A new prompt reuses the
/// longest common token prefix with any entry: a causal model's keys and values for a prefix depend on it alone.
/// Used only from the session's scheduler thread.
/// </summary>
internal sealed class PrefixCache(long byteBudget) : IDisposable
{
    private sealed class Entry(int[] tokens, Tensor keys, Tensor values, long bytes)
    {
        public int[] Tokens { get; } = tokens;
        public Tensor Keys { get; } = keys;
        public Tensor Values { get; } = values;
        public long Bytes { get; } = bytes;
    }

    private readonly LinkedList<Entry> _entries = new(); // most recent first
    private long _bytes;

    public long Bytes => _bytes;
    public int Count => _entries.Count;

    /// <summary>Copies the longest cached prefix of <paramref name="prompt"/> (at most <paramref name="limit"/> tokens) into the cache.</summary>
    public int Restore(int[] prompt, int limit, Models.KvCache cache)
    {
        LinkedListNode<Entry>? best = null;
        var bestLength = 0;
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            var common = CommonPrefix(node.Value.Tokens, prompt, limit);
            if (common > bestLength)
                (best, bestLength) = (node, common);
        }
        if (best is null)
            return 0;
        _entries.Remove(best);
        _entries.AddFirst(best);
        cache.CopyPrefix(best.Value.Keys, best.Value.Values, bestLength);
        return bestLength;
    }

    /// <summary>Keeps the first <paramref name="count"/> positions of a freshly prefilled cache.</summary>
    public void Store(int[] prompt, int count, Models.KvCache cache)
    {
        var bytes = 2L * cache.Keys.shape[0] * cache.Keys.shape[1] * count * cache.Keys.shape[3] * 4;
        if (count <= 0 || bytes > byteBudget)
            return;
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            if (node.Value.Tokens.Length >= count && CommonPrefix(node.Value.Tokens, prompt, count) == count)
                return; // already covered
        }
        var keys = cache.Keys.narrow(2, 0, count).clone().DetachFromDisposeScope();
        var values = cache.Values.narrow(2, 0, count).clone().DetachFromDisposeScope();
        _entries.AddFirst(new Entry(prompt[..count], keys, values, bytes));
        _bytes += bytes;
        while (_bytes > byteBudget && _entries.Last is { } last)
        {
            _entries.RemoveLast();
            _bytes -= last.Value.Bytes;
            last.Value.Keys.Dispose();
            last.Value.Values.Dispose();
        }
    }

    private static int CommonPrefix(int[] a, int[] b, int limit)
    {
        var n = Math.Min(Math.Min(a.Length, b.Length), limit);
        var i = 0;
        while (i < n && a[i] == b[i])
            i++;
        return i;
    }

    public void Dispose()
    {
        foreach (var e in _entries)
        {
            e.Keys.Dispose();
            e.Values.Dispose();
        }
        _entries.Clear();
        _bytes = 0;
    }
}
