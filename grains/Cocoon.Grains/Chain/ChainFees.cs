using Cocoon.Ton.Transactions;

namespace Cocoon.Grains.Chain;

/// <summary>What one of our wallets' own transactions cost its balance, to the nanoTON.</summary>
public static class ChainFees
{
    /// <summary>
    /// The transaction's total fees (storage, gas, the action phase's share of forwarding) plus the forwarding fee each
    /// outgoing internal message still carries: the sender pays both, so balance after = before + value in − values
    /// out − this.
    /// </summary>
    public static long PaidBySender(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var total = tx.TotalFees.Grams;
        foreach (var m in tx.OutMessages)
            if (m.Info is InternalMessageInfo info) total += info.ForwardFee;
        return ToNano(total);
    }

    public static long ToNano(UInt128 value) =>
        value <= (UInt128)long.MaxValue ? (long)value : throw new OverflowException($"{value} nanoTON exceeds the ledger's range.");
}
