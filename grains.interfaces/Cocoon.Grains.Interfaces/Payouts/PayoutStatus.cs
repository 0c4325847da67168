namespace Cocoon.Payouts;

/// <summary>Where a payout is in the pipeline. Only <see cref="Confirmed"/> means its message left the treasury on chain.</summary>
public enum PayoutStatus
{
    /// <summary>Recorded; the owner's balance is being moved to the in-flight account.</summary>
    Accepted,
    /// <summary>Funds in flight; waiting for a batch (or for the treasury to hold enough).</summary>
    Queued,
    /// <summary>In a signed batch that is persisted and sent, not yet seen on chain.</summary>
    Sent,
    /// <summary>Its outgoing message was seen on chain: the money left the ledger.</summary>
    Confirmed,
    /// <summary>The destination bounced it: the value came back and was returned to the owner's balance.</summary>
    Bounced,
    /// <summary>Refused before any money moved (insufficient funds); nothing to undo.</summary>
    Rejected,
}
