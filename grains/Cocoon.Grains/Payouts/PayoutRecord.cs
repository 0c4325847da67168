using Cocoon.Payouts;

namespace Cocoon.Grains.Payouts;

/// <summary>The treasury's record of one payout.</summary>
[GenerateSerializer, Alias("cocoon.treasury-payout.v1")]
public sealed class PayoutRecord
{
    [Id(0)] public long Id { get; set; }
    [Id(1)] public string AccountId { get; set; } = "";
    [Id(2)] public string RequestId { get; set; } = "";
    [Id(3)] public long AmountNano { get; set; }
    /// <summary>The destination as given (raw or friendly).</summary>
    [Id(4)] public string Destination { get; set; } = "";
    [Id(5)] public bool Bounceable { get; set; }
    [Id(6)] public PayoutStatus Status { get; set; }
    /// <summary>The query sequence of the batch carrying it now; null while queued.</summary>
    [Id(7)] public long? Batch { get; set; }
    [Id(8)] public string? TransactionHash { get; set; }
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public string? Error { get; set; }
    /// <summary>What came back when it bounced (the rest was the network's bounce fees, borne by the operator).</summary>
    [Id(11)] public long ReturnedNano { get; set; }
    /// <summary>How many batches carried it (a batch whose query id ran without paying it, or that expired, puts it back in the queue).</summary>
    [Id(12)] public int Attempts { get; set; }

    /// <summary>Ledger id of the owner's debit (and of the in-flight account's credit).</summary>
    public string LedgerId => $"payout-{Id}";

    public bool IsOpen => Status is PayoutStatus.Accepted or PayoutStatus.Queued or PayoutStatus.Sent;
}
