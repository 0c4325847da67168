namespace Cocoon.Ton.DevChain;

/// <summary>An external message accepted while delayed inclusion is on, waiting for <c>POST /dev/include</c>.</summary>
public sealed record PendingMessage(string Hash, string? NormalizedHash, string Destination, long QueuedAt);
