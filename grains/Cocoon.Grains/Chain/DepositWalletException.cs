namespace Cocoon.Grains.Chain;

/// <summary>The deposit wallet's key could not be loaded or created; the message names the file and the fix.</summary>
public sealed class DepositWalletException(string message, Exception? innerException = null) : Exception(message, innerException);
