namespace Cocoon.Grains.Payouts;

/// <summary>
/// What one treasury transaction means for the ledger and the outbox. <see cref="FeeNano"/> is what the treasury's
/// balance paid the network; <see cref="InboundNano"/> the value that arrived and stayed (kind <see cref="Inbound"/>);
/// <see cref="Outgoing"/> the transfers that left to others.
/// </summary>
public sealed record TreasuryTransaction(
    string Hash,
    ulong Lt,
    uint Now,
    long FeeNano,
    TreasuryInbound Inbound,
    long InboundNano,
    string? Sender,
    long? BouncedPayoutId,
    string? ExternalMessageHash,
    ulong? ExecutedQueryId,
    IReadOnlyList<OutgoingTransfer> Outgoing);

/// <summary>One message that left the treasury for someone else: a payout when its comment names one.</summary>
public sealed record OutgoingTransfer(long? PayoutId, string Destination, long ValueNano);

public enum TreasuryInbound
{
    /// <summary>Nothing arrived (or it was sent back).</summary>
    None,
    /// <summary>Our own signed external message (a batch).</summary>
    External,
    /// <summary>The treasury's message to itself carrying a batch's action list.</summary>
    Self,
    /// <summary>A sweep from our deposit wallet: money moving between our own wallets.</summary>
    Sweep,
    /// <summary>One of our payouts bounced back by its destination.</summary>
    Bounce,
    /// <summary>Anyone else's transfer: the operator's capital.</summary>
    TopUp,
}
