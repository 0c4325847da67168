using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Transactions;

/// <summary>
/// A message as recorded in a transaction (<c>Message Any</c>): header, optional state init (as its cell), and body.
/// <see cref="Hash"/> is the message cell's hash, what explorers and toncenter call the message hash.
/// </summary>
public sealed record Message(MessageInfo Info, Cell? StateInit, Cell Body, Cell Cell)
{
    public string Hash => Cell.HashHex;

    /// <summary>The text comment of the body (opcode 0 and UTF-8 snake data), or null when the body is not one.</summary>
    public string? Comment => TextComment.TryRead(Body, out var text) ? text : null;

    public static Message Load(Cell cell)
    {
        var slice = cell.BeginParse();
        var info = LoadInfo(slice);
        Cell? init = null;
        if (slice.LoadBit())
        {
            init = slice.LoadBit() ? slice.LoadRef() : LoadInlineStateInit(slice);
        }

        var body = slice.LoadBit() ? slice.LoadRef() : slice.ToCell();
        return new Message(info, init, body, cell);
    }

    private static MessageInfo LoadInfo(CellSlice slice)
    {
        if (!slice.LoadBit())
        {
            return new InternalMessageInfo(
                IhrDisabled: slice.LoadBit(),
                Bounce: slice.LoadBit(),
                Bounced: slice.LoadBit(),
                Source: slice.LoadAddress(),
                Destination: slice.LoadAddress(),
                Value: CurrencyCollection.Load(slice),
                ExtraFlags: slice.LoadCoins(),
                ForwardFee: slice.LoadCoins(),
                CreatedLt: slice.LoadUInt(64),
                CreatedAt: (uint)slice.LoadUInt(32));
        }

        if (!slice.LoadBit())
        {
            var source = slice.LoadAnyAddress();
            if (source.Internal is not null)
            {
                throw new TonFormatException("An inbound external message has an internal source address.");
            }

            return new ExternalInMessageInfo(source.External, slice.LoadAddress(), slice.LoadCoins());
        }

        var from = slice.LoadAddress();
        var to = slice.LoadAnyAddress();
        if (to.Internal is not null)
        {
            throw new TonFormatException("An outbound external message has an internal destination address.");
        }

        return new ExternalOutMessageInfo(from, to.External, slice.LoadUInt(64), (uint)slice.LoadUInt(32));
    }

    /// <summary>Reads an inline StateInit and returns it as a cell of its own.</summary>
    private static Cell LoadInlineStateInit(CellSlice slice)
    {
        var builder = new CellBuilder();
        if (slice.LoadBit())
        {
            builder.StoreBit(true).StoreUInt(slice.LoadUInt(5), 5); // split_depth
        }
        else
        {
            builder.StoreBit(false);
        }

        if (slice.LoadBit())
        {
            builder.StoreBit(true).StoreUInt(slice.LoadUInt(2), 2); // special: tick, tock
        }
        else
        {
            builder.StoreBit(false);
        }

        builder.StoreMaybeRef(slice.LoadMaybeRef()); // code
        builder.StoreMaybeRef(slice.LoadMaybeRef()); // data
        builder.StoreDict(slice.LoadDict()); // libraries
        return builder.Build();
    }
}
