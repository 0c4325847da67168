namespace Cocoon.Ton.Transactions;

/// <summary><c>AccStatusChange</c>: acst_unchanged$0, acst_frozen$10, acst_deleted$11.</summary>
public enum AccountStatusChange
{
    Unchanged,
    Frozen,
    Deleted,
}
