using Cocoon.Ton.Cells;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Wallets;

/// <summary>
/// The external message of a seqno wallet (v4r2, v5r1): its signed body to its address, with the state init that deploys
/// it attached when asked, by default for seqno 0 (the first transfer).
/// </summary>
internal static class SeqnoWalletMessage
{
    public static Cell Build(ITonWallet wallet, Cell body, uint seqno, bool? includeStateInit) =>
        ExternalMessage.Build(wallet.Address, body, (includeStateInit ?? seqno == 0) ? wallet.StateInit : null);
}
