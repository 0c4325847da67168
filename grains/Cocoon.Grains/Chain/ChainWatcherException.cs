namespace Cocoon.Grains.Chain;

/// <summary>The chain answered something the watcher cannot book (a malformed transaction); it retries from the same cursor.</summary>
public sealed class ChainWatcherException(string message, Exception? innerException = null) : Exception(message, innerException);
