using Cocoon.Wallets;

namespace Cocoon.Grains.Wallets;

/// <summary>
/// The wallet's own row: balances, live reservations and the ledger's tail. Older entries and idempotency keys move
/// to immutable pages (<see cref="WalletHistory"/>), so a write costs the tail's size, not the whole history's.
/// A row written before pages existed holds its whole history in the tail; the next write moves it to pages.
/// </summary>
[GenerateSerializer, Alias("cocoon.wallet-state.v1")]
public sealed class WalletState
{
    /// <summary>Settled balance; the available part is the balance less reservations.</summary>
    [Id(0)] public long Balance { get; set; }
    [Id(1)] public Dictionary<string, Reservation> Reservations { get; set; } = [];
    /// <summary>Entries newer than the archived pages, newest last (totals stay exact: <see cref="Balance"/> holds them).</summary>
    [Id(2)] public List<LedgerEntry> Recent { get; set; } = [];
    [Id(3)] public long NextSequence { get; set; } = 1;
    /// <summary>Operation keys newer than the archived key pages, oldest first, for idempotency of retried operations.</summary>
    [Id(4)] public List<string> AppliedKeys { get; set; } = [];
    [Id(5)] public Dictionary<string, long> AppliedAmounts { get; set; } = [];
    /// <summary>Entry pages archived so far: pages with a lower number hold every entry older than <see cref="Recent"/>.</summary>
    [Id(6)] public long EntryPages { get; set; }
    /// <summary>Key pages archived so far, likewise for <see cref="AppliedKeys"/>.</summary>
    [Id(7)] public long KeyPages { get; set; }
    /// <summary>All-time sums by "kind:counterparty" (deposits from system:chain, payouts, ...), which reconciliation compares with the chain.</summary>
    [Id(8)] public Dictionary<string, long> Totals { get; set; } = [];
    /// <summary>Entries per archived page (<see cref="WalletHistory.EntryPageSizeOf"/>); 0 in rows written before it was recorded.</summary>
    [Id(9)] public int EntryPageSize { get; set; }
    /// <summary>
    /// Jobs whose reservation expired before they settled, with when: a capture for one of them is taken from the
    /// available balance. A capture for a job neither reserved nor listed here captures nothing (it can only be a
    /// replay whose key left the idempotency window, and its first run captured already).
    /// </summary>
    [Id(10)] public Dictionary<string, DateTimeOffset> ExpiredReservations { get; set; } = [];
    /// <summary>
    /// Every idempotency key applied after this instant is still in the window (row tail or key pages): the latest
    /// write time of a key page that left it. Default: none has left since it was recorded (key pages written before
    /// 25 Nov 2026 carry no time and do not move it).
    /// </summary>
    [Id(11)] public DateTimeOffset KeysForgottenBefore { get; set; }
    /// <summary>
    /// Shares of jobs this wallet captured for and has not yet seen confirmed by their accounts, oldest first: queued in
    /// the commit that captured, removed in a commit after the receiving wallet confirmed them.
    /// </summary>
    [Id(12)] public List<SettlementCredit> PendingCredits { get; set; } = [];

    /// <summary>A copy for the storage to serialize while the grain goes on changing its own (entries are immutable).</summary>
    public WalletState Snapshot() => new()
    {
        Balance = Balance,
        Reservations = new(Reservations, StringComparer.Ordinal),
        Recent = [.. Recent],
        NextSequence = NextSequence,
        AppliedKeys = [.. AppliedKeys],
        AppliedAmounts = new(AppliedAmounts, StringComparer.Ordinal),
        EntryPages = EntryPages,
        KeyPages = KeyPages,
        Totals = new(Totals, StringComparer.Ordinal),
        EntryPageSize = EntryPageSize,
        ExpiredReservations = new(ExpiredReservations, StringComparer.Ordinal),
        KeysForgottenBefore = KeysForgottenBefore,
        PendingCredits = [.. PendingCredits],
    };
}

[GenerateSerializer, Immutable, Alias("cocoon.reservation.v1")]
public sealed record Reservation(
    [property: Id(0)] long AmountNano,
    [property: Id(1)] DateTimeOffset ExpiresAt);
