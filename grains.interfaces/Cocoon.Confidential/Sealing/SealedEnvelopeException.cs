namespace Cocoon.Confidential.Sealing;

public enum SealedEnvelopeError
{
    /// <summary>The envelope's bytes do not parse.</summary>
    Malformed,
    /// <summary>A format version this code does not know.</summary>
    UnsupportedVersion,
    /// <summary>The envelope was not sealed to this node id.</summary>
    NotARecipient,
    /// <summary>The wrapped key does not open: another node's key, a tampered wrap, or other associated data.</summary>
    UnwrapFailed,
    /// <summary>The body does not decrypt: tampered ciphertext or nonce, or other associated data.</summary>
    DecryptFailed,
}

/// <summary>A sealed envelope could not be opened; <see cref="Error"/> says why. Never carries plaintext or keys.</summary>
public sealed class SealedEnvelopeException(SealedEnvelopeError error, string message) : Exception(message)
{
    public SealedEnvelopeError Error { get; } = error;
}
