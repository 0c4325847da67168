namespace Cocoon.Confidential.Sealing;

/// <summary>One sealed piece of a response: its sequence number (0, 1, 2, …), whether it is the last, and ciphertext ‖ tag.</summary>
public sealed record ResponseChunk(long Sequence, bool Final, byte[] Ciphertext);
