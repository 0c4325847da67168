namespace Cocoon.Wallets;

/// <summary>
/// One account's ledger. Every operation is idempotent by its external id; a client balance never goes negative
/// and concurrent jobs never overdraw it. Lives on core silos only.
/// </summary>
[Alias("cocoon.wallet")]
public interface IWalletGrain : IGrainWithStringKey
{
    /// <summary>The account's balance, for its own key (signed <c>wallet.balance</c>).</summary>
    [Alias("balance.signed")]
    Task<AccountBalance> ReadBalance(Security.SignedRequest request);

    /// <summary>The account's most recent entries, newest first, for its own key (signed <c>wallet.entries</c>).</summary>
    [Alias("entries.signed")]
    Task<IReadOnlyList<LedgerEntry>> ReadEntries(Security.SignedRequest request, int limit);

    /// <summary>Any account's balance, unsigned: silos and operators only.</summary>
    [Alias("balance"), Security.InternalOnly]
    Task<AccountBalance> GetBalance();

    /// <summary>The most recent entries, newest first, with their audit fields (actor, signature): silos and operators only.</summary>
    [Alias("entries"), Security.InternalOnly]
    Task<IReadOnlyList<LedgerEntry>> GetEntries(int limit);

    /// <summary>Credits funds that arrived from <paramref name="counterparty"/> (a chain transaction, the dev faucet).</summary>
    [Alias("credit"), Security.InternalOnly]
    Task<LedgerEntry> Credit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo);

    /// <summary>
    /// Credits like <see cref="Credit"/>, for an operation first sent no earlier than <paramref name="issuedAt"/> (a
    /// time its caller recorded durably before sending it the first time). Idempotency keys leave the wallet's window
    /// after 4,096 operations, which on a busy wallet is seconds: a repeat arriving later would apply twice. So when
    /// the keys the wallet has forgotten were applied after <paramref name="issuedAt"/> (less a clock-skew allowance),
    /// the wallet cannot tell a first from a repeat, applies nothing and returns null; the caller books the amount to
    /// <see cref="Accounts.Suspense"/> for the operator. Otherwise the operation is new (or in the window) and applies once.
    /// </summary>
    [Alias("credit-issued-at"), Security.InternalOnly]
    Task<LedgerEntry?> CreditIssuedAt(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo, DateTimeOffset issuedAt);

    /// <summary>Debits funds leaving to <paramref name="counterparty"/>; refuses to overdraw a client account.</summary>
    [Alias("debit"), Security.InternalOnly]
    Task<LedgerEntry> Debit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo);

    /// <summary>
    /// Sets aside up to <paramref name="amountNano"/> for a job until it settles or <paramref name="expiresAt"/>. With an
    /// <paramref name="admission"/>, first charges the account's request and token buckets and checks its job quota,
    /// and records the job request's signature in the ledger entry (the audit trail of who authorized the spend).
    /// </summary>
    [Alias("reserve"), Security.InternalOnly]
    Task Reserve(string jobId, long amountNano, DateTimeOffset expiresAt, ReservationAdmission? admission = null);

    /// <summary>Takes the job's actual cost (at most the reservation) and releases the rest. Returns the amount captured.</summary>
    [Alias("capture"), Security.InternalOnly]
    Task<long> Capture(string jobId, long amountNano, string counterparty);

    /// <summary>
    /// Captures like <see cref="Capture"/>, for a settlement first sent no earlier than <paramref name="issuedAt"/>. A
    /// repeat whose key has left the idempotency window finds no reservation: when keys applied after
    /// <paramref name="issuedAt"/> have left it too, the capture may have run, and this returns null (its amount is
    /// forgotten; nothing is taken again). When they have not, it never ran here and there is nothing to take: 0.
    /// </summary>
    [Alias("capture-issued-at"), Security.InternalOnly]
    Task<long?> CaptureIssuedAt(string jobId, long amountNano, string counterparty, DateTimeOffset issuedAt);

    /// <summary>
    /// Settles a job in one commit: captures like <see cref="CaptureIssuedAt"/> and queues the credits of what it
    /// captured (<paramref name="shares"/>), which the wallet then delivers to their accounts in batches, retrying until
    /// each is confirmed (<see cref="CreditShares"/>). A repeat for the same job captures and queues nothing more.
    /// </summary>
    [Alias("settle"), Security.InternalOnly]
    Task<Settlement> Settle(string jobId, long chargeNano, DateTimeOffset issuedAt, SettlementShares shares);

    /// <summary>
    /// Applies shares of jobs settled by <paramref name="payer"/>'s wallet, each idempotent by its job and kind and judged
    /// by its issue time like <see cref="CreditIssuedAt"/>. Returns, for each, whether it is applied (now or before);
    /// false when the wallet cannot tell whether it already applied it, and applied nothing (the payer books it to
    /// <see cref="Accounts.Suspense"/>).
    /// </summary>
    [Alias("credit-shares"), Security.InternalOnly]
    Task<bool[]> CreditShares(string payer, IReadOnlyList<SettlementCredit> credits);

    [Alias("release"), Security.InternalOnly]
    Task Release(string jobId);

    /// <summary>All-time sums by kind and counterparty (<see cref="LedgerTotals.Key"/>), which reconciliation compares with the chain.</summary>
    [Alias("totals"), Security.InternalOnly]
    Task<IReadOnlyDictionary<string, long>> GetTotals();
}
