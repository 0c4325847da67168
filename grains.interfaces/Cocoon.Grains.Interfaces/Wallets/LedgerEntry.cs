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
    [property: Id(7)] DateTimeOffset At)
{
    /// <summary>Audit: the grain or client that made the change (e.g. <c>job/ID</c>, <c>chainwatcher/ADDR</c>, a silo's hosted client).</summary>
    [Id(8)] public string? Actor { get; init; }
    /// <summary>Audit: the account's signature that authorized it, when one was given (a job's reservation, a withdrawal).</summary>
    [Id(9)] public Security.RequestSignature? Signature { get; init; }
}

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

/// <param name="OwedNano">Shares of jobs this account paid for that its wallet has captured and not yet credited to the
/// workers and the commission (they follow within milliseconds; they are no longer in <paramref name="BalanceNano"/>).</param>
[GenerateSerializer, Immutable, Alias("cocoon.account-balance.v1")]
public sealed record AccountBalance(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long BalanceNano,
    [property: Id(2)] long ReservedNano,
    [property: Id(3)] long AvailableNano,
    [property: Id(4)] long EntryCount,
    [property: Id(5)] bool Exists,
    [property: Id(6)] long OwedNano = 0);
