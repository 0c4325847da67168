namespace Cocoon.Confidential.Sealing;

/// <summary>The node's side of a response stream: seals chunks 0, 1, 2, … under keys derived from the request's content key, the last one marked final.</summary>
public sealed class ResponseSealer(ReadOnlySpan<byte> contentKey, string jobId) : IDisposable
{
    private readonly ResponseStreamKeys _keys = new(contentKey, jobId);
    private long _next;
    private bool _finished;

    public long NextSequence => _next;

    public ResponseChunk Seal(ReadOnlySpan<byte> plaintext, bool final = false)
    {
        if (_finished)
        {
            throw new InvalidOperationException("the response stream is already final");
        }
        var sequence = _next++;
        _finished = final;
        var ciphertext = new byte[plaintext.Length + 16];
        Span<byte> nonce = stackalloc byte[12];
        _keys.Nonce(sequence, nonce);
        _keys.Encrypt(nonce, plaintext, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), _keys.AssociatedData(sequence, final));
        return new ResponseChunk(sequence, final, ciphertext);
    }

    public void Dispose() => _keys.Dispose();
}
