namespace Cocoon.Ton.Toncenter;

/// <summary>toncenter's getAddressInformation: balance in nanoTON, state, code and data (BOC base64, empty when none).</summary>
public sealed record AddressInformation(
    long Balance,
    AccountState State,
    string Code,
    string Data,
    TransactionId LastTransactionId,
    string FrozenHash,
    long SyncUtime);
