namespace Cocoon.Grains.Chain;

/// <summary>The deposit wallet this silo watches (user-friendly, bounceable form): the chain watcher grain's key.</summary>
public sealed record DepositWalletAddress(string Address);
