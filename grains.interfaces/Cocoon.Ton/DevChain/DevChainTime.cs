namespace Cocoon.Ton.DevChain;

/// <summary>The dev chain's clock: the time the next transaction gets, whether it is frozen, and the last block's time.</summary>
public sealed record DevChainTime(long UnixTime, bool Frozen, long LastBlockUtime);
