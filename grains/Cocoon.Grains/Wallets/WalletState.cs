using Cocoon.Wallets;

namespace Cocoon.Grains.Wallets;

[GenerateSerializer, Alias("cocoon.wallet-state.v1")]
public sealed class WalletState
{
    /// <summary>Settled balance; the available part is the balance less reservations.</summary>
    [Id(0)] public long Balance { get; set; }
    [Id(1)] public Dictionary<string, Reservation> Reservations { get; set; } = [];
    /// <summary>Newest last; trimmed to the most recent entries (totals stay exact: <see cref="Balance"/> holds them).</summary>
    [Id(2)] public List<LedgerEntry> Recent { get; set; } = [];
    [Id(3)] public long NextSequence { get; set; } = 1;
    /// <summary>Operation keys already applied, oldest first, for idempotency of retried operations.</summary>
    [Id(4)] public List<string> AppliedKeys { get; set; } = [];
    [Id(5)] public Dictionary<string, long> AppliedAmounts { get; set; } = [];
    /// <summary>All-time sums by "kind:counterparty" (deposits from system:chain, payouts, ...), which reconciliation compares with the chain.</summary>
    [Id(6)] public Dictionary<string, long> Totals { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("cocoon.reservation.v1")]
public sealed record Reservation(
    [property: Id(0)] long AmountNano,
    [property: Id(1)] DateTimeOffset ExpiresAt);
