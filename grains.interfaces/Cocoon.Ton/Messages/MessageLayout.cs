using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>
/// The <c>init:(Maybe (Either StateInit ^StateInit)) body:(Either X ^X)</c> tail of a message, placed inline or by
/// reference with @ton/core's rules so that message hashes match the reference libraries.
/// </summary>
internal static class MessageLayout
{
    public static void StoreInitAndBody(CellBuilder builder, StateInit? init, Cell body, bool relaxed)
    {
        if (init is null)
        {
            builder.StoreBit(false);
        }
        else
        {
            builder.StoreBit(true);
            // Relaxed messages (storeMessageRelaxed) look only at the state init; full ones (storeMessage) also leave room for the body.
            var initInline = relaxed
                ? builder.RemainingBits - 2 >= init.BitLength
                : builder.RemainingBits - 2 >= init.BitLength + body.BitLength;
            initInline &= builder.RemainingRefs >= 2;
            if (initInline)
            {
                builder.StoreBit(false);
                init.Store(builder);
            }
            else
            {
                builder.StoreBit(true);
                builder.StoreRef(init.ToCell());
            }
        }

        var bodyInline = builder.RemainingBits - 1 >= body.BitLength
                         && builder.RefCount + body.Refs.Count <= Cell.MaxRefs
                         && !body.IsExotic; // an exotic body would lose its type inline
        if (bodyInline)
        {
            builder.StoreBit(false);
            builder.StoreCellContents(body);
        }
        else
        {
            builder.StoreBit(true);
            builder.StoreRef(body);
        }
    }
}
