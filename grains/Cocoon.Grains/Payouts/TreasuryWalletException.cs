namespace Cocoon.Grains.Payouts;

/// <summary>The treasury's key could not be loaded or created; the message names the file and the fix.</summary>
public sealed class TreasuryWalletException(string message, Exception? innerException = null) : Exception(message, innerException);
