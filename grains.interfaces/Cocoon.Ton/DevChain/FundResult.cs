using Cocoon.Ton.Toncenter;

namespace Cocoon.Ton.DevChain;

/// <summary>
/// A faucet transfer on the dev chain: the recipient's transaction (null if the message never reached it), the
/// faucet's own transaction, and the masterchain block that committed them.
/// </summary>
public sealed record FundResult(string Address, long Amount, TransactionId? TransactionId, TransactionId? FaucetTransactionId, uint Seqno);
