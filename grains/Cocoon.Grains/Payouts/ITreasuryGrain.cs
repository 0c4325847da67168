using Cocoon.Payouts;
using Cocoon.Security;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// The treasury (keyed by its address): takes payouts, batches them into highload-v3 messages through a persisted
/// outbox, confirms them from its own transactions, and sweeps the deposit wallet. Internal to core silos.
/// </summary>
[Alias("cocoon.treasury"), InternalOnly]
public interface ITreasuryGrain : IGrainWithStringKey
{
    /// <summary>Starts the cycle timer (idempotent); the hosted service calls it to keep the treasury alive.</summary>
    [Alias("start")]
    Task Start();

    /// <summary>Records the payout and moves its amount from the owner to the in-flight account. Idempotent by (account, request id).</summary>
    [Alias("request")]
    Task<PayoutView> RequestPayout(WithdrawalRequest request);

    [Alias("get")]
    Task<PayoutView?> GetPayout(string accountId, string requestId);

    /// <summary>Payouts, newest first; with <paramref name="openOnly"/> only those not yet settled.</summary>
    [Alias("list")]
    Task<IReadOnlyList<PayoutView>> ListPayouts(int limit, bool openOnly);

    /// <summary>One cycle now: scan the treasury's transactions, settle or resend the outbox, pay owners, sweep, send new batches.</summary>
    [Alias("run"), ResponseTimeout("00:30:00")]
    Task<TreasuryCycleReport> RunOnce();

    /// <summary>Books the treasury's new transactions only (no sending): reconciliation brings the ledger up to the chain with it.</summary>
    [Alias("scan"), ResponseTimeout("00:30:00")] // a first scan may book thousands of transactions
    Task<int> Scan();

    [Alias("status")]
    Task<TreasuryStatus> GetStatus();
}
