using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>
/// An outgoing internal message as a wallet sends it (<c>MessageRelaxed</c>): the source is left empty for the
/// node to fill in, IHR is disabled, and fees and timestamps are zero. <see cref="Value"/> is in nanotons.
/// </summary>
public sealed record InternalMessage(TonAddress To, long Value, bool Bounce = true, Cell? Body = null, StateInit? Init = null)
{
    public static InternalMessage WithComment(TonAddress to, long value, string comment, bool bounce = true) =>
        new(to, value, bounce, TextComment.Build(comment));

    /// <summary>The message cell, laid out as @ton/core's storeMessageRelaxed does (state init and body inline when they fit).</summary>
    public Cell ToCell()
    {
        if (Value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Value), Value, "A message cannot carry a negative value.");
        }

        var builder = new CellBuilder()
            .StoreBit(false) // int_msg_info$0
            .StoreBit(true) // ihr_disabled
            .StoreBit(Bounce)
            .StoreBit(false) // bounced
            .StoreAddress(null) // src: filled in by the node
            .StoreAddress(To)
            .StoreCoins(Value)
            .StoreDict(null) // no extra currencies
            .StoreCoins(0L) // ihr_fee
            .StoreCoins(0L) // fwd_fee
            .StoreUInt(0UL, 64) // created_lt
            .StoreUInt(0UL, 32); // created_at
        MessageLayout.StoreInitAndBody(builder, Init, Body ?? Cell.Empty, relaxed: true);
        return builder.Build();
    }
}
