namespace Cocoon.Ton.Toncenter;

/// <summary>
/// One transaction from toncenter's getTransactions. <see cref="Data"/> is the whole transaction BOC (base64), from
/// which the TON library reads what the JSON leaves out (aborted, bounce phase, prev_trans ids); fees are nanoTON.
/// </summary>
public sealed record ToncenterTransaction(
    string Address,
    long Utime,
    string Data,
    TransactionId TransactionId,
    long Fee,
    long StorageFee,
    long OtherFee,
    ToncenterMessage? InMessage,
    IReadOnlyList<ToncenterMessage> OutMessages)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Utime);
}
