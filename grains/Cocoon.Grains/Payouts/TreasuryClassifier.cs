using Cocoon.Grains.Chain;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Transactions;
using Cocoon.Ton.Wallets;

namespace Cocoon.Grains.Payouts;

/// <summary>Reads one treasury transaction. Pure, so every rule is testable without a chain.</summary>
public static class TreasuryClassifier
{
    public static TreasuryTransaction Classify(Transaction tx, TonAddress treasury, TonAddress? depositWallet)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(treasury);
        var d = tx.Description;
        var outgoing = new List<OutgoingTransfer>();
        foreach (var m in tx.OutMessages)
        {
            if (m.Info is not InternalMessageInfo o || o.Destination is null || o.Destination == treasury) continue;
            outgoing.Add(new OutgoingTransfer(PayoutComment.Parse(m.Comment), o.Destination.ToRaw(), ChainFees.ToNano(o.Value.Grams)));
        }

        var fee = ChainFees.PaidBySender(tx);
        switch (tx.InMessage?.Info)
        {
            case ExternalInMessageInfo:
                return new(tx.Hash, tx.Lt, tx.Now, fee, TreasuryInbound.External, 0, null, null, tx.InMessage.Hash, null, outgoing);
            case InternalMessageInfo info:
                var sender = info.Source;
                if (sender == treasury)
                    return new(tx.Hash, tx.Lt, tx.Now, fee, TreasuryInbound.Self, 0, sender.ToRaw(), null, null, ReadInternalTransferQueryId(tx.InMessage.Body), outgoing);
                // A successful bounce phase sent the value back, paid from that value; the balance paid storage only.
                if (d.Kind != TransactionKind.Ordinary || d.Credit is null || d.Bounce is { Kind: BouncePhaseKind.Ok })
                    return new(tx.Hash, tx.Lt, tx.Now, ChainFees.ToNano(d.Storage?.FeesCollected ?? 0), TreasuryInbound.None, 0, sender?.ToRaw(), null, null, null, outgoing);
                var value = ChainFees.ToNano(d.Credit.Credit.Grams);
                if (info.Bounced && PayoutComment.ParseBounced(tx.InMessage.Body) is { } payout)
                    return new(tx.Hash, tx.Lt, tx.Now, fee, TreasuryInbound.Bounce, value, sender?.ToRaw(), payout, null, null, outgoing);
                var kind = depositWallet is not null && sender == depositWallet ? TreasuryInbound.Sweep : TreasuryInbound.TopUp;
                return new(tx.Hash, tx.Lt, tx.Now, fee, value > 0 ? kind : TreasuryInbound.None, value, sender?.ToRaw(), null, null, null, outgoing);
            default:
                return new(tx.Hash, tx.Lt, tx.Now, fee, TreasuryInbound.None, 0, null, null, null, null, outgoing);
        }
    }

    /// <summary>internal_transfer#ae42e5a4 query_id:uint64 actions:^OutList, or null for any other body.</summary>
    private static ulong? ReadInternalTransferQueryId(Ton.Cells.Cell body)
    {
        if (body.IsExotic || body.BitLength < 96) return null;
        var slice = body.BeginParse();
        return slice.LoadUInt(32) == HighloadWalletV3.InternalTransferOpcode ? slice.LoadUInt(64) : null;
    }
}
