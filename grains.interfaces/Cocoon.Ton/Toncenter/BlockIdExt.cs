namespace Cocoon.Ton.Toncenter;

/// <summary>A block id as toncenter prints it (hashes in base64).</summary>
public sealed record BlockIdExt(int Workchain, long Shard, uint Seqno, string RootHash, string FileHash);
