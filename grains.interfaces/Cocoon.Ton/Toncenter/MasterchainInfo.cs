namespace Cocoon.Ton.Toncenter;

/// <summary>toncenter's getMasterchainInfo: the last masterchain block (its seqno grows as blocks commit) and the first.</summary>
public sealed record MasterchainInfo(BlockIdExt Last, BlockIdExt Init, string StateRootHash);
