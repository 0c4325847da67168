using System.Security.Cryptography;
using Cocoon.Confidential.Sealing;

namespace Cocoon.Confidential.Keys;

/// <summary>
/// X25519 outputs for the peer keys seen most recently, oldest forgotten first (and wiped): a node's for the sender keys
/// of version 2 envelopes, a client sender key's for its recipients. Holds secrets as sensitive as the private key they
/// came from, in the same memory. Bounded, so peers that never repeat a key only cost a miss.
/// </summary>
internal sealed class RecentAgreements(int capacity) : IDisposable
{
    private readonly Dictionary<PublicKey32, byte[]> _shared = new(capacity);
    private readonly Queue<PublicKey32> _order = new(capacity);
    private readonly Lock _lock = new();
    private long _computed;

    public long Computed => Interlocked.Read(ref _computed);

    public void Counted() => Interlocked.Increment(ref _computed);

    public bool TryGet(ReadOnlySpan<byte> senderPublic, Span<byte> shared)
    {
        var id = new PublicKey32(senderPublic);
        lock (_lock)
        {
            if (!_shared.TryGetValue(id, out var known)) return false;
            known.CopyTo(shared);
            return true;
        }
    }

    public void Add(ReadOnlySpan<byte> senderPublic, ReadOnlySpan<byte> shared)
    {
        var id = new PublicKey32(senderPublic);
        lock (_lock)
        {
            if (_shared.ContainsKey(id)) return;
            if (_shared.Count >= capacity && _order.TryDequeue(out var oldest) && _shared.Remove(oldest, out var evicted))
            {
                CryptographicOperations.ZeroMemory(evicted);
            }
            _shared.Add(id, shared.ToArray());
            _order.Enqueue(id);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock) return _shared.Count;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var secret in _shared.Values) CryptographicOperations.ZeroMemory(secret);
            _shared.Clear();
            _order.Clear();
        }
    }
}
