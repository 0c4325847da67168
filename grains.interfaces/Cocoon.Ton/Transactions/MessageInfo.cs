using Cocoon.Ton.Addresses;

namespace Cocoon.Ton.Transactions;

/// <summary>The header of a message (<c>CommonMsgInfo</c>).</summary>
public abstract record MessageInfo;

/// <summary>
/// <c>int_msg_info$0</c>. <see cref="ExtraFlags"/> is the field once called ihr_fee (same layout, Grams).
/// A message with <see cref="Bounced"/> set is a bounce coming back: its value is a refund, not a deposit.
/// </summary>
public sealed record InternalMessageInfo(
    bool IhrDisabled,
    bool Bounce,
    bool Bounced,
    TonAddress? Source,
    TonAddress? Destination,
    CurrencyCollection Value,
    UInt128 ExtraFlags,
    UInt128 ForwardFee,
    ulong CreatedLt,
    uint CreatedAt) : MessageInfo;

/// <summary><c>ext_in_msg_info$10</c>: a message from outside the chain (what wallets' owners send).</summary>
public sealed record ExternalInMessageInfo(ExternalAddress? Source, TonAddress? Destination, UInt128 ImportFee) : MessageInfo;

/// <summary><c>ext_out_msg_info$11</c>: a log message from a contract to the outside.</summary>
public sealed record ExternalOutMessageInfo(TonAddress? Source, ExternalAddress? Destination, ulong CreatedLt, uint CreatedAt) : MessageInfo;
