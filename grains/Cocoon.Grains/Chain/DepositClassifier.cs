using Cocoon.Ton.Transactions;
using Cocoon.Wallets;

namespace Cocoon.Grains.Chain;

/// <summary>
/// Reads one transaction of the deposit wallet: an incoming transfer whose value stayed in the wallet is a deposit for
/// the account its text comment names; anything else is skipped. Pure, so every rule is testable without a chain.
/// </summary>
public static class DepositClassifier
{
    /// <summary>Longest comment kept in a suspense memo: the rest is not needed to find the sender.</summary>
    private const int MaxMemoComment = 120;

    public static DepositDecision Classify(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var hash = tx.Hash;
        var d = tx.Description;
        var storageFee = ToNano(d.Storage?.FeesCollected ?? 0);
        if (tx.InMessage?.Info is not InternalMessageInfo info)
            return Skip(hash, ChainFees.PaidBySender(tx), "not an incoming transfer"); // the wallet's own action (a sweep): it pays all fees
        var sender = info.Source?.ToRaw();
        if (info.Bounced)
            return Skip(hash, storageFee, "a bounced message (our own transfer coming back)", sender);
        if (d.Kind != TransactionKind.Ordinary || d.Credit is null)
            return Skip(hash, storageFee, "no credit phase", sender);
        // A successful bounce phase sent the value back; with none (or a failed one) the value stayed in the wallet.
        // So an aborted transfer to the still undeployed wallet (compute skipped: no state) is credited, a bounced one not.
        if (d.Bounce is { Kind: BouncePhaseKind.Ok })
            return Skip(hash, storageFee, "the transfer bounced back to its sender", sender);
        var amount = ToNano(d.Credit.Credit.Grams);
        if (amount <= 0)
            return Skip(hash, storageFee, "no value credited", sender);
        var comment = tx.InMessage.Comment;
        var account = AccountFor(comment);
        // Storage, gas and action fees of a transaction that kept the value all came out of the wallet's balance.
        return new DepositDecision(hash, account, amount, ToNano(tx.TotalFees.Grams), comment, sender, null);
    }

    /// <summary>The account a comment names, or <see cref="Accounts.Suspense"/> when it names none that a client may hold.</summary>
    public static string AccountFor(string? comment)
    {
        var id = comment?.Trim();
        return Accounts.IsValid(id) && !Accounts.IsSystem(id!) ? id! : Accounts.Suspense;
    }

    /// <summary>A comment trimmed for a ledger memo: printable, bounded.</summary>
    public static string MemoText(string? comment)
    {
        if (comment is null) return "(no comment)";
        var clean = new string(comment.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length <= MaxMemoComment ? $"'{clean}'" : $"'{clean[..MaxMemoComment]}…'";
    }

    private static DepositDecision Skip(string hash, long fee, string reason, string? sender = null) =>
        new(hash, "", 0, fee, null, sender, reason);

    private static long ToNano(UInt128 value) =>
        value <= (UInt128)long.MaxValue ? (long)value : throw new OverflowException($"{value} nanoTON exceeds the ledger's range.");
}
