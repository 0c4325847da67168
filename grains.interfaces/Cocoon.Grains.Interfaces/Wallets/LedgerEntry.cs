namespace Cocoon.Wallets;

/// <summary>
/// One ledger line of one account. <see cref="AmountNano"/> is signed (credit positive); <see cref="ExternalId"/>
/// makes the operation idempotent (a deposit transaction, a job id, a payout id).
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.ledger-entry.v1")]
public sealed record LedgerEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] string ExternalId,
    [property: Id(3)] long AmountNano,
    [property: Id(4)] long BalanceAfterNano,
    [property: Id(5)] string Counterparty,
    [property: Id(6)] string Memo,
    [property: Id(7)] DateTimeOffset At);

public enum LedgerEntryKind
{
    Deposit,
    /// <summary>Funds set aside for a job; moves available to reserved (amount 0 on the balance).</summary>
    Reserve,
    Capture,
    Release,
    Earn,
    Commission,
    Payout,
    Fee,
    Transfer,
}

[GenerateSerializer, Immutable, Alias("cocoon.account-balance.v1")]
public sealed record AccountBalance(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long BalanceNano,
    [property: Id(2)] long ReservedNano,
    [property: Id(3)] long AvailableNano,
    [property: Id(4)] long EntryCount,
    [property: Id(5)] bool Exists);
