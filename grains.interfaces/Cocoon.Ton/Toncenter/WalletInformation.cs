namespace Cocoon.Ton.Toncenter;

/// <summary>
/// toncenter's getWalletInformation. <see cref="WalletType"/> is toncenter's name (<c>wallet v4 r2</c>, <c>wallet v5 r1</c>, ...)
/// when the code is a known wallet; <see cref="Seqno"/> is set for wallets that have one.
/// </summary>
public sealed record WalletInformation(
    bool IsWallet,
    long Balance,
    AccountState AccountState,
    string? WalletType,
    uint? Seqno,
    long? WalletId,
    TransactionId LastTransactionId);
