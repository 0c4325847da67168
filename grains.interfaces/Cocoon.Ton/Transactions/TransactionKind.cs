namespace Cocoon.Ton.Transactions;

/// <summary>The kind of a transaction (<c>TransactionDescr</c>'s constructor).</summary>
public enum TransactionKind
{
    Ordinary,
    Storage,
    TickTock,
    SplitPrepare,
    SplitInstall,
    MergePrepare,
    MergeInstall,
}
