namespace Cocoon.Grains.Reconciliation;

/// <summary>
/// Ledger against chain. <see cref="Discrepancies"/> counts the failed checks (global and per account); zero means
/// every nanoTON the chain shows is where the ledger says it is.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.reconciliation-report.v1")]
public sealed record ReconciliationReport(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int Discrepancies,
    [property: Id(2)] IReadOnlyList<ReconciliationCheck> Checks,
    [property: Id(3)] IReadOnlyList<AccountReconciliation> Accounts,
    [property: Id(4)] TreasuryReconciliation Treasury,
    [property: Id(5)] int TransactionsRead,
    [property: Id(6)] double ElapsedMs)
{
    public bool Clean => Discrepancies == 0;
}

/// <summary>One global check: its name, whether it held, and the numbers behind it.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.reconciliation-check.v1")]
public sealed record ReconciliationCheck(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Ok,
    [property: Id(2)] string Detail);

/// <summary>
/// One account: deposits the chain shows for it against what the ledger credited from the chain; payouts it asked for,
/// those confirmed, what the chain paid, what is still pending and what bounced back.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.account-reconciliation.v1")]
public sealed record AccountReconciliation(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long DepositsOnChainNano,
    [property: Id(2)] long DepositsCreditedNano,
    [property: Id(3)] long PayoutsDebitedNano,
    [property: Id(4)] long PayoutsRecordedNano,
    [property: Id(5)] long PayoutsConfirmedNano,
    [property: Id(6)] long PayoutsPaidOnChainNano,
    [property: Id(7)] long PayoutsPendingNano,
    [property: Id(8)] long BouncedBackNano,
    [property: Id(9)] IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// The network's wallets against the ledger: what they hold on chain, minus system:chain (must be equal), what the
/// ledger owes (users, suspense, payouts in flight) and the surplus that covers it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.treasury-reconciliation.v1")]
public sealed record TreasuryReconciliation(
    [property: Id(0)] long TreasuryBalanceNano,
    [property: Id(1)] long DepositWalletBalanceNano,
    [property: Id(2)] long LedgerChainNano,
    [property: Id(3)] long LiabilitiesNano,
    [property: Id(4)] long InFlightNano,
    [property: Id(5)] long SurplusNano,
    [property: Id(6)] int OpenPayouts,
    [property: Id(7)] long NetworkFeesNano);
