namespace Cocoon.Ton.DevChain;

/// <summary>The dev chain's faucet: an ordinary on-chain account that holds the chain's whole genesis supply.</summary>
public sealed record FaucetInfo(string Address, long Balance);
