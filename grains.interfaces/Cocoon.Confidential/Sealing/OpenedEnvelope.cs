namespace Cocoon.Confidential.Sealing;

/// <summary>An opened envelope: the plaintext, and the content key the response stream is derived from.</summary>
public sealed record OpenedEnvelope(byte[] Plaintext, byte[] ContentKey);
