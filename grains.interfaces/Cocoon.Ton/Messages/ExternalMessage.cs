using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>Inbound external messages (<c>ext_in_msg_info</c>), what a wallet owner sends to the wallet's address.</summary>
public static class ExternalMessage
{
    public static Cell Build(TonAddress to, Cell body, StateInit? init = null)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(body);
        var builder = new CellBuilder()
            .StoreUInt(0b10, 2) // ext_in_msg_info$10
            .StoreUInt(0b00, 2) // src: addr_none
            .StoreAddress(to)
            .StoreCoins(0L); // import_fee
        MessageLayout.StoreInitAndBody(builder, init, body, relaxed: false);
        return builder.Build();
    }
}
