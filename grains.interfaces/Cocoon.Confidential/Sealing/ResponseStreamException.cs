namespace Cocoon.Confidential.Sealing;

public enum ResponseStreamError
{
    /// <summary>A chunk arrived with a sequence number other than the next expected one (reordered, replayed or dropped).</summary>
    OutOfOrder,
    /// <summary>A chunk arrived after the final chunk.</summary>
    AfterFinal,
    /// <summary>A chunk does not authenticate: tampered, from another job, or its final flag was changed.</summary>
    Tampered,
    /// <summary>The stream ended before its final chunk.</summary>
    Truncated,
}

/// <summary>The sealed response stream was not received intact; <see cref="Error"/> says how.</summary>
public sealed class ResponseStreamException(ResponseStreamError error, string message) : Exception(message)
{
    public ResponseStreamError Error { get; } = error;
}
