namespace Cocoon.Grains.Payouts;

/// <summary>A signed transfer from the deposit wallet to the treasury, persisted before it is sent; its seqno makes it run at most once.</summary>
[GenerateSerializer, Alias("cocoon.treasury-sweep.v1")]
public sealed class SweepRecord
{
    [Id(0)] public uint Seqno { get; set; }
    [Id(1)] public uint ValidUntil { get; set; }
    [Id(2)] public long AmountNano { get; set; }
    [Id(3)] public byte[] Boc { get; set; } = [];
    [Id(4)] public string MessageHash { get; set; } = "";
    [Id(5)] public DateTimeOffset? LastSentAt { get; set; }
}
