using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>
/// A contract's initial state (<c>StateInit</c> with code and data, no split depth, special flags or libraries).
/// Its cell's representation hash is the contract's address.
/// </summary>
public sealed record StateInit(Cell Code, Cell Data)
{
    public Cell ToCell() => Store(new CellBuilder()).Build();

    /// <summary>split_depth:(Maybe) special:(Maybe) code:(Maybe ^Cell) data:(Maybe ^Cell) library:(HashmapE 256).</summary>
    public CellBuilder Store(CellBuilder builder) =>
        builder.StoreBit(false).StoreBit(false).StoreMaybeRef(Code).StoreMaybeRef(Data).StoreDict(null);

    public int BitLength => 5;

    public TonAddress Address(int workchain = 0) => new(workchain, ToCell().Hash);
}
