using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Transactions;

internal static class TransactionReader
{
    public static AccountStatusChange LoadStatusChange(CellSlice slice) =>
        !slice.LoadBit() ? AccountStatusChange.Unchanged
        : slice.LoadBit() ? AccountStatusChange.Deleted
        : AccountStatusChange.Frozen;

    public static AccountStatus LoadAccountStatus(CellSlice slice) => (AccountStatus)slice.LoadUInt(2);
}
