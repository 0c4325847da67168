using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Wallets;

/// <summary>
/// Highload wallet v3 (ton-blockchain/highload-wallet-contract-v3). Data: public_key:bits256 subwallet_id:uint32
/// old_queries:(HashmapE 13 ^Cell) queries:(HashmapE 13 ^Cell) last_clean_time:uint64 timeout:uint22.
/// An external message is signature:bits512 ^MsgInner, where MsgInner is subwallet_id:uint32 message_to_send:^Cell
/// send_mode:uint8 query_id:(shift uint13, bit_number uint10) created_at:uint64 timeout:uint22 and the signature
/// covers MsgInner's hash. The contract accepts a query id once per timeout window and requires
/// now - timeout &lt; created_at &lt;= now.
/// Batches of up to 254 transfers go as one internal message to itself carrying
/// internal_transfer#ae42e5a4 query_id:uint64 actions:^OutList, which the contract installs as its action list.
/// </summary>
public sealed class HighloadWalletV3 : ITonWallet
{
    public const uint DefaultSubwalletId = 0x10ad;
    public const uint DefaultTimeout = 3600;
    public const uint InternalTransferOpcode = 0xae42e5a4;

    /// <summary>The action list of one transaction holds 255 actions; the reference wrapper keeps one spare.</summary>
    public const int MaxBatchSize = 254;

    private readonly byte[] _publicKey;

    public HighloadWalletV3(ReadOnlySpan<byte> publicKey, uint subwalletId = DefaultSubwalletId, uint timeout = DefaultTimeout, int workchain = 0)
    {
        _publicKey = WalletKeys.CheckPublicKey(publicKey);
        if (timeout is 0 or >= 1 << 22)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout is 1..2^22-1 seconds.");
        }

        SubwalletId = subwalletId;
        Timeout = timeout;
        Workchain = workchain;
        var data = new CellBuilder()
            .StoreBytes(_publicKey)
            .StoreUInt(subwalletId, 32)
            .StoreDict(null) // old_queries
            .StoreDict(null) // queries
            .StoreUInt(0UL, 64) // last_clean_time
            .StoreUInt(timeout, 22)
            .Build();
        StateInit = new StateInit(WalletCode.HighloadV3, data);
        Address = StateInit.Address(workchain);
    }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public uint SubwalletId { get; }

    public uint Timeout { get; }

    public int Workchain { get; }

    public StateInit StateInit { get; }

    public TonAddress Address { get; }

    /// <summary>
    /// An external message that makes the wallet send <paramref name="message"/> (its cell must be an internal
    /// message from addr_none without state init; the contract adds IGNORE_ERRORS to the mode).
    /// </summary>
    public Cell CreateTransfer(KeyPair key, HighloadQueryId queryId, ulong createdAt, Cell message,
        SendMode mode = SendMode.Default, bool includeStateInit = false)
    {
        WalletKeys.EnsureOwner(key, _publicKey);
        ArgumentNullException.ThrowIfNull(message);
        var inner = new CellBuilder()
            .StoreUInt(SubwalletId, 32)
            .StoreRef(message)
            .StoreUInt((byte)mode, 8)
            .StoreUInt(queryId.Value, 23)
            .StoreUInt(createdAt, 64)
            .StoreUInt(Timeout, 22)
            .Build();
        var body = new CellBuilder().StoreBytes(key.Sign(inner.Hash)).StoreRef(inner).Build();
        return ExternalMessage.Build(Address, body, includeStateInit ? StateInit : null);
    }

    public Cell CreateTransfer(KeyPair key, HighloadQueryId queryId, ulong createdAt, InternalMessage message,
        SendMode mode = SendMode.Default, bool includeStateInit = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Init is not null)
        {
            throw new ArgumentException("Highload wallet v3 refuses messages that carry a state init.", nameof(message));
        }

        return CreateTransfer(key, queryId, createdAt, message.ToCell(), mode, includeStateInit);
    }

    /// <summary>
    /// One external message paying up to <see cref="MaxBatchSize"/> transfers: an internal message to the wallet
    /// itself whose internal_transfer body carries the action list. With <paramref name="value"/> 0 that message
    /// carries the whole balance back to the wallet (mode 128), as the reference wrapper does; otherwise it carries
    /// <paramref name="value"/> nanotons with fees paid separately.
    /// </summary>
    public Cell CreateBatchTransfer(KeyPair key, HighloadQueryId queryId, ulong createdAt, IReadOnlyList<InternalMessage> messages,
        SendMode messageMode = SendMode.Default, long value = 0, bool includeStateInit = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count is 0 or > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), messages.Count, $"A highload batch has 1..{MaxBatchSize} transfers.");
        }

        if (messages.Any(m => m.Init is not null))
        {
            throw new ArgumentException("Batched transfers cannot carry a state init here.", nameof(messages));
        }

        var body = CreateInternalTransferBody(queryId, OutList.Build(messages, messageMode));
        var toSelf = new InternalMessage(Address, value, Bounce: true, Body: body);
        var mode = value > 0 ? SendMode.PayGasSeparately : SendMode.CarryAllRemainingBalance;
        return CreateTransfer(key, queryId, createdAt, toSelf.ToCell(), mode, includeStateInit);
    }

    /// <summary>internal_transfer#ae42e5a4 query_id:uint64 actions:^OutList.</summary>
    public static Cell CreateInternalTransferBody(HighloadQueryId queryId, Cell actions) =>
        new CellBuilder()
            .StoreUInt(InternalTransferOpcode, 32)
            .StoreUInt(queryId.Value, 64)
            .StoreRef(actions)
            .Build();
}
