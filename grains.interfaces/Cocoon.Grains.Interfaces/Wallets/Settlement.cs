namespace Cocoon.Wallets;

/// <summary>
/// How a job's captured cost is shared out: up to <paramref name="WorkerNano"/> to the node's owner, the rest to the
/// commission account. The paying wallet queues both credits in the same commit as the capture, so money leaves the
/// client only together with a durable promise to pay it on.
/// </summary>
/// <param name="WorkerAccount">The node's owner, credited as <see cref="LedgerEntryKind.Earn"/>.</param>
/// <param name="WorkerNano">The worker's share of the job's full cost (it gets less if less was captured).</param>
/// <param name="CommissionAccount">One of the commission shards (<see cref="Accounts.Commission"/>).</param>
/// <param name="WorkerMemo">The memo of the worker's ledger entry.</param>
/// <param name="ReservationDeferred">The job reserved with <see cref="ReservationAdmission.DeferCommit"/>. If the
/// wallet finds no reservation and certainly never settled the job, the hold was lost with an activation that died
/// before committing it: the wallet captures the charge from the available balance (never below zero), as it does
/// for a reservation that expired.</param>
[GenerateSerializer, Immutable, Alias("cocoon.settlement-shares.v1")]
public sealed record SettlementShares(
    [property: Id(0)] string WorkerAccount,
    [property: Id(1)] long WorkerNano,
    [property: Id(2)] string CommissionAccount,
    [property: Id(3)] string WorkerMemo,
    [property: Id(4)] bool ReservationDeferred = false);

/// <summary>What <see cref="IWalletGrain.Settle"/> did.</summary>
/// <param name="CapturedNano">The amount captured (now or by an earlier call for the job); null when the wallet has
/// forgotten it (see <see cref="IWalletGrain.CaptureIssuedAt"/>).</param>
/// <param name="SharesQueued">True when the wallet owns the credits of what it captured (queued with the capture, now
/// or earlier). False when the capture was made without them (by the plain capture of a build before this call
/// existed: the caller sends the credits itself), or is forgotten (<paramref name="CapturedNano"/> null: the wallet
/// cannot tell which kind it was; a job that settles only through this call knows its shares were queued).</param>
[GenerateSerializer, Immutable, Alias("cocoon.settlement.v1")]
public sealed record Settlement(
    [property: Id(0)] long? CapturedNano,
    [property: Id(1)] bool SharesQueued);

/// <summary>
/// One share of a settled job, owed by the paying wallet to <paramref name="Account"/> until that wallet confirms it.
/// </summary>
/// <param name="JobId">The job: with <paramref name="Kind"/>, the credit's idempotency key in the receiving wallet.</param>
/// <param name="IssuedAt">When the paying wallet queued it, before its first delivery (the receiver's window check).</param>
[GenerateSerializer, Immutable, Alias("cocoon.settlement-credit.v1")]
public sealed record SettlementCredit(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Account,
    [property: Id(2)] LedgerEntryKind Kind,
    [property: Id(3)] long AmountNano,
    [property: Id(4)] string Memo,
    [property: Id(5)] DateTimeOffset IssuedAt);
