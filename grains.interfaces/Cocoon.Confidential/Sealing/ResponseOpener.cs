namespace Cocoon.Confidential.Sealing;

/// <summary>
/// The client's side of a response stream. Stateful: expects sequence 0, 1, 2, …, refuses anything after the final
/// chunk, and <see cref="Complete"/> reports truncation when the stream ended without one.
/// </summary>
public sealed class ResponseOpener(ReadOnlySpan<byte> contentKey, string jobId) : IDisposable
{
    private readonly ResponseStreamKeys _keys = new(contentKey, jobId);
    private long _next;

    public bool IsComplete { get; private set; }

    public long NextSequence => _next;

    public byte[] Open(ResponseChunk chunk)
    {
        if (IsComplete)
        {
            throw new ResponseStreamException(ResponseStreamError.AfterFinal, $"chunk {chunk.Sequence} arrived after the final chunk");
        }
        if (chunk.Sequence != _next)
        {
            throw new ResponseStreamException(ResponseStreamError.OutOfOrder, $"expected chunk {_next}, got {chunk.Sequence}");
        }
        if (chunk.Ciphertext is not { Length: >= 16 })
        {
            throw new ResponseStreamException(ResponseStreamError.Tampered, $"chunk {chunk.Sequence} is shorter than its tag");
        }
        var plaintext = new byte[chunk.Ciphertext.Length - 16];
        Span<byte> nonce = stackalloc byte[12];
        _keys.Nonce(_next, nonce);
        if (!_keys.Decrypt(nonce, chunk.Ciphertext.AsSpan(0, plaintext.Length), chunk.Ciphertext.AsSpan(plaintext.Length), plaintext,
                _keys.AssociatedData(_next, chunk.Final)))
        {
            throw new ResponseStreamException(ResponseStreamError.Tampered,
                $"chunk {chunk.Sequence} does not authenticate: tampered, from another job, or its final flag changed");
        }
        _next++;
        IsComplete = chunk.Final;
        return plaintext;
    }

    /// <summary>Call when the transport says the stream ended: throws unless the final chunk was seen.</summary>
    public void Complete()
    {
        if (!IsComplete)
        {
            throw new ResponseStreamException(ResponseStreamError.Truncated, $"the stream ended after {_next} chunks without a final chunk");
        }
    }

    public void Dispose() => _keys.Dispose();
}
