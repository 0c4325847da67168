using TorchSharp;
using static TorchSharp.torch;

namespace Cocoon.Inference.Models;

/// <summary>
/// One sequence's keys and values for every layer, preallocated contiguous [layers, kv heads, capacity, head dim] so
/// decode steps write in place and never reallocate.
/// </summary>
internal sealed class KvCache : IDisposable
{
    public KvCache(int layers, int kvHeads, int capacity, int headDim, Device device)
    {
        Capacity = capacity;
        Keys = zeros([layers, kvHeads, capacity, headDim], ScalarType.Float32, device).DetachFromDisposeScope();
        Values = zeros([layers, kvHeads, capacity, headDim], ScalarType.Float32, device).DetachFromDisposeScope();
        // Per-layer views made once: a decode step would otherwise create two per layer per sequence.
        LayerKeys = Enumerable.Range(0, layers).Select(l => Keys.select(0, l).DetachFromDisposeScope()).ToArray();
        LayerValues = Enumerable.Range(0, layers).Select(l => Values.select(0, l).DetachFromDisposeScope()).ToArray();
    }

    public Tensor[] LayerKeys { get; }
    public Tensor[] LayerValues { get; }

    public Tensor Keys { get; }
    public Tensor Values { get; }
    public int Capacity { get; }

    /// <summary>Positions filled so far.</summary>
    public int Length { get; set; }

    public long Bytes => 2 * Keys.NumberOfElements * 4;

    /// <summary>Copies the first <paramref name="count"/> positions in from a prefix-cache entry.</summary>
    public void CopyPrefix(Tensor keys, Tensor values, int count)
    {
        using var scope = NewDisposeScope();
        Keys.narrow(2, 0, count).copy_(keys.narrow(2, 0, count));
        Values.narrow(2, 0, count).copy_(values.narrow(2, 0, count));
        Length = count;
    }

    public void Dispose()
    {
        foreach (var view in LayerKeys.Concat(LayerValues))
            view.Dispose();
        Keys.Dispose();
        Values.Dispose();
    }
}
