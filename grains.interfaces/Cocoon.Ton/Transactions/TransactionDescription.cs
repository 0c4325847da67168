using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Transactions;

/// <summary>
/// <c>TransactionDescr</c>. Ordinary (<c>trans_ord$0000</c>), storage and tick-tock transactions are read in full;
/// for split and merge transactions (shard reorganisation, never a wallet's concern) only the kind is reported.
/// Note that <see cref="Aborted"/> is also set when a message credits an account that has no code yet: the value
/// still arrives (see <see cref="Credit"/>).
/// </summary>
public sealed record TransactionDescription(
    TransactionKind Kind,
    bool CreditFirst,
    StoragePhase? Storage,
    CreditPhase? Credit,
    ComputePhase? Compute,
    ActionPhase? Action,
    bool Aborted,
    BouncePhase? Bounce,
    bool Destroyed,
    bool IsTock)
{
    internal static TransactionDescription Load(CellSlice slice)
    {
        var tag = slice.LoadUInt(3);
        if (tag == 0b001)
        {
            var isTock = slice.LoadBit();
            var storage = StoragePhase.Load(slice);
            var compute = ComputePhase.Load(slice);
            var action = slice.LoadMaybeRef() is { } actionCell ? ActionPhase.Load(actionCell.BeginParse()) : null;
            var aborted = slice.LoadBit();
            var destroyed = slice.LoadBit();
            slice.EndParse();
            return new TransactionDescription(TransactionKind.TickTock, false, storage, null, compute, action, aborted, null, destroyed, isTock);
        }

        var kind = (tag << 1 | slice.LoadUInt(1)) switch
        {
            0b0000 => TransactionKind.Ordinary,
            0b0001 => TransactionKind.Storage,
            0b0100 => TransactionKind.SplitPrepare,
            0b0101 => TransactionKind.SplitInstall,
            0b0110 => TransactionKind.MergePrepare,
            0b0111 => TransactionKind.MergeInstall,
            var other => throw new TonFormatException($"Unknown transaction description tag {Convert.ToString((long)other, 2).PadLeft(4, '0')}."),
        };

        if (kind == TransactionKind.Storage)
        {
            var storage = StoragePhase.Load(slice);
            slice.EndParse();
            return new TransactionDescription(kind, false, storage, null, null, null, false, null, false, false);
        }

        if (kind != TransactionKind.Ordinary)
        {
            return new TransactionDescription(kind, false, null, null, null, null, false, null, false, false);
        }

        var creditFirst = slice.LoadBit();
        var storagePhase = slice.LoadBit() ? StoragePhase.Load(slice) : null;
        var creditPhase = slice.LoadBit() ? CreditPhase.Load(slice) : null;
        var computePhase = ComputePhase.Load(slice);
        var actionPhase = slice.LoadMaybeRef() is { } actionRef ? ActionPhase.Load(actionRef.BeginParse()) : null;
        var abortedFlag = slice.LoadBit();
        var bounce = slice.LoadBit() ? BouncePhase.Load(slice) : null;
        var destroyedFlag = slice.LoadBit();
        slice.EndParse();
        return new TransactionDescription(kind, creditFirst, storagePhase, creditPhase, computePhase, actionPhase,
            abortedFlag, bounce, destroyedFlag, false);
    }
}
