namespace Cocoon.Grains.Payouts;

/// <summary>
/// One signed highload-v3 external message carrying up to 254 payouts. Persisted with its query id, created_at, BOC and
/// message hash before it is first sent; every resend sends these exact bytes.
/// </summary>
[GenerateSerializer, Alias("cocoon.treasury-outbox-batch.v1")]
public sealed class OutboxBatch
{
    [Id(0)] public long QuerySequence { get; set; }
    /// <summary>The 23-bit query id as the contract stores it (shift &lt;&lt; 10 | bit number).</summary>
    [Id(1)] public ulong QueryId { get; set; }
    [Id(2)] public ulong CreatedAt { get; set; }
    [Id(3)] public uint Timeout { get; set; }
    [Id(4)] public byte[] Boc { get; set; } = [];
    /// <summary>The external message cell's hash (hex): what the treasury's first transaction shows as its inbound message.</summary>
    [Id(5)] public string MessageHash { get; set; } = "";
    [Id(6)] public List<long> PayoutIds { get; set; } = [];
    [Id(7)] public OutboxStatus Status { get; set; }
    [Id(8)] public int Sends { get; set; }
    [Id(9)] public DateTimeOffset? LastSentAt { get; set; }
    [Id(10)] public long TotalNano { get; set; }
    /// <summary>The contract accepted the external (its transaction was seen): the query id is spent, so it never expires into a re-sign.</summary>
    [Id(11)] public bool Accepted { get; set; }

    /// <summary>After this chain time the contract refuses the message for good (it needs created_at &gt; now − timeout).</summary>
    public ulong ValidUntil => CreatedAt + Timeout;
}

public enum OutboxStatus
{
    /// <summary>Persisted, maybe not sent yet.</summary>
    Signed,
    /// <summary>Sent at least once.</summary>
    Sent,
    /// <summary>Its internal_transfer ran on chain: the query id is spent; each payout was either paid or proven unpaid.</summary>
    Executed,
    /// <summary>Past valid_until with no execution and the contract reporting the query id unprocessed: it never ran and never will.</summary>
    Expired,
}
