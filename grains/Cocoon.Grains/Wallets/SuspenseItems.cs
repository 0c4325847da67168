using Cocoon.Errors;
using Cocoon.Wallets;

namespace Cocoon.Grains.Wallets;

/// <summary>What an operator's decision on a suspense item did (<see cref="SuspenseItems"/>).</summary>
/// <param name="Outcome"><c>paid</c>: moved to the account; <c>already-paid</c>: the account had it, so the suspense copy
/// was written off; <c>dropped</c>: written off on the operator's word.</param>
public sealed record SuspenseResolution(string Item, string Account, string JobId, LedgerEntryKind Kind, long AmountNano, string Outcome);

/// <summary>
/// The operator's two answers to a settlement share booked to <see cref="Accounts.Suspense"/>, because the account's
/// wallet could no longer tell whether it had been paid (docs/operations.md, "The ledger's idempotency window"). The
/// item's id is <c>{job id}/{account}</c>. Each answer takes the item out of suspense with one debit, keyed by the
/// item, so an answer repeated, or the other answer after it, moves nothing more.
/// </summary>
public static class SuspenseItems
{
    private const string PaidMemo = "paid to the account after an operator's check";
    private const string DroppedMemo = "written off: the account was paid already (operator's check)";

    /// <summary>
    /// Books a share whose account could not tell whether it was paid already (its idempotency window no longer covers
    /// <paramref name="issuedAt"/>) to suspense, as item <c>{job id}/{account}</c>; a repeat books nothing more.
    /// </summary>
    public static Task BookAsync(IGrainFactory grains, string jobId, string account, LedgerEntryKind kind, long amountNano, string payer, DateTimeOffset issuedAt) =>
        grains.GetGrain<IWalletGrain>(Accounts.Suspense).Credit($"{jobId}/{account}", kind, amountNano, payer,
            $"{kind} of job {jobId} for {account}, unverified: that wallet's idempotency window no longer covers {issuedAt:O}. Credit it there only if its ledger lacks this job.");

    /// <summary>
    /// Pays the share to its account under the job's own key. If the account still knows that key, it was paid
    /// already: the wallet answers the first payment, and the suspense copy is written off instead.
    /// </summary>
    public static async Task<SuspenseResolution> PayAsync(IGrainFactory grains, string item)
    {
        var (entry, jobId, account) = await FindAsync(grains, item);
        var debit = await grains.GetGrain<IWalletGrain>(Accounts.Suspense).Debit(item, LedgerEntryKind.Transfer, entry.AmountNano, account, PaidMemo);
        if (debit.Memo == DroppedMemo)
            throw new LedgerException($"Suspense item '{item}' was dropped already: it cannot be paid as well.");
        var memo = $"{entry.Kind} of job {jobId}, paid from suspense after an operator's check";
        var credit = await grains.GetGrain<IWalletGrain>(account).Credit(jobId, entry.Kind, entry.AmountNano, entry.Counterparty, memo);
        return new(item, account, jobId, entry.Kind, entry.AmountNano, credit.Memo == memo ? "paid" : "already-paid");
    }

    /// <summary>Writes the share off: the operator found it in the account's ledger, so suspense held a second copy.</summary>
    public static async Task<SuspenseResolution> DropAsync(IGrainFactory grains, string item)
    {
        var (entry, jobId, account) = await FindAsync(grains, item);
        var debit = await grains.GetGrain<IWalletGrain>(Accounts.Suspense).Debit(item, LedgerEntryKind.Transfer, entry.AmountNano, account, DroppedMemo);
        if (debit.Memo == PaidMemo)
            throw new LedgerException($"Suspense item '{item}' was paid to {account} already: it cannot be dropped as well.");
        return new(item, account, jobId, entry.Kind, entry.AmountNano, "dropped");
    }

    private static async Task<(LedgerEntry Entry, string JobId, string Account)> FindAsync(IGrainFactory grains, string item)
    {
        var slash = item?.LastIndexOf('/') ?? -1;
        var jobId = slash > 0 ? item![..slash] : "";
        var account = slash > 0 ? item![(slash + 1)..] : "";
        if (!Cocoon.Jobs.JobIds.IsValid(jobId) || !Accounts.IsValid(account))
            throw new InvalidJobException("item", $"'{item}' is not a suspense item id: use <job id>/<account>, as its ledger entry names it.");
        var entries = await grains.GetGrain<IWalletGrain>(Accounts.Suspense).GetEntries(1_000);
        var entry = entries.FirstOrDefault(e => e.ExternalId == item && e.AmountNano > 0 && e.Kind is LedgerEntryKind.Earn or LedgerEntryKind.Commission)
            ?? throw new InvalidJobException("item", $"No settlement share '{item}' among the last 1,000 entries of {Accounts.Suspense}.");
        return (entry, jobId, account);
    }
}
