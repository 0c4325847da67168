namespace Cocoon.Confidential.Collateral;

/// <summary>Collateral (TCB info, QE identity, CRLs, issuer chains) is missing a piece or does not parse.</summary>
public sealed class CollateralFormatException(string message, Exception? inner = null) : Exception(message, inner);
