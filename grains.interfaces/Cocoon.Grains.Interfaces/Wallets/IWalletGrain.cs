namespace Cocoon.Wallets;

/// <summary>
/// One account's ledger. Every operation is idempotent by its external id; a client balance never goes negative
/// and concurrent jobs never overdraw it. Lives on core silos only.
/// </summary>
[Alias("cocoon.wallet")]
public interface IWalletGrain : IGrainWithStringKey
{
    [Alias("balance")]
    Task<AccountBalance> GetBalance();

    /// <summary>The most recent entries, newest first.</summary>
    [Alias("entries")]
    Task<IReadOnlyList<LedgerEntry>> GetEntries(int limit);

    /// <summary>Credits funds that arrived from <paramref name="counterparty"/> (a chain transaction, the dev faucet).</summary>
    [Alias("credit"), Security.InternalOnly]
    Task<LedgerEntry> Credit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo);

    /// <summary>Debits funds leaving to <paramref name="counterparty"/>; refuses to overdraw a client account.</summary>
    [Alias("debit"), Security.InternalOnly]
    Task<LedgerEntry> Debit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo);

    /// <summary>Sets aside up to <paramref name="amountNano"/> for a job until it settles or <paramref name="expiresAt"/>.</summary>
    [Alias("reserve"), Security.InternalOnly]
    Task Reserve(string jobId, long amountNano, DateTimeOffset expiresAt);

    /// <summary>Takes the job's actual cost (at most the reservation) and releases the rest. Returns the amount captured.</summary>
    [Alias("capture"), Security.InternalOnly]
    Task<long> Capture(string jobId, long amountNano, string counterparty);

    [Alias("release"), Security.InternalOnly]
    Task Release(string jobId);

    /// <summary>All-time sums by kind and counterparty (<see cref="LedgerTotals.Key"/>), which reconciliation compares with the chain.</summary>
    [Alias("totals"), Security.InternalOnly]
    Task<IReadOnlyDictionary<string, long>> GetTotals();
}
