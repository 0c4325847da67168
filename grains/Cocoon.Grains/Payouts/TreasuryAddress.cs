namespace Cocoon.Grains.Payouts;

/// <summary>The treasury this silo pays from (user-friendly, bounceable form): the treasury grain's key.</summary>
public sealed record TreasuryAddress(string Address);
