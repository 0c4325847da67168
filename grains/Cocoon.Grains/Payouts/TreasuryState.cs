namespace Cocoon.Grains.Payouts;

/// <summary>The treasury's durable state: payouts, the outbox of signed batches, the sweep in flight, and its chain cursor.</summary>
[GenerateSerializer, Alias("cocoon.treasury-state.v1")]
public sealed class TreasuryState
{
    [Id(0)] public long NextPayoutId { get; set; } = 1;
    [Id(1)] public long NextQuerySequence { get; set; }
    [Id(2)] public ulong CursorLt { get; set; }
    [Id(3)] public string? CursorHash { get; set; }
    [Id(4)] public Dictionary<long, PayoutRecord> Payouts { get; set; } = [];
    /// <summary>(account, request id) → payout id: a repeated request returns its payout.</summary>
    [Id(5)] public Dictionary<string, long> Requests { get; set; } = [];
    /// <summary>Batches not yet settled (signed, sent), by query sequence.</summary>
    [Id(6)] public Dictionary<long, OutboxBatch> Outbox { get; set; } = [];
    [Id(7)] public SweepRecord? Sweep { get; set; }
    /// <summary>Settled batches, newest last, kept for the operator and the reconciliation report.</summary>
    [Id(8)] public List<OutboxBatch> Settled { get; set; } = [];

    public static string RequestKey(string accountId, string requestId) => accountId + "\n" + requestId;
}
