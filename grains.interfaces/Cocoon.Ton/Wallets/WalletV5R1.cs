using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Wallets;

/// <summary>
/// Wallet v5r1. Data: is_signature_allowed:bit seqno:uint32 wallet_id:int32 public_key:bits256 extensions:(HashmapE 256).
/// The wallet id is the network's global id XOR a client context (1 bit, workchain int8, version uint8 = 0,
/// subwallet uint15). A transfer signs op 0x7369676e wallet_id valid_until seqno, then the out list by reference
/// and no extended actions; the signature goes last.
/// </summary>
public sealed class WalletV5R1 : ITonWallet
{
    public const int MainnetGlobalId = -239;
    public const int TestnetGlobalId = -3;
    public const uint SignedExternalOpcode = 0x7369676e;
    public const int MaxMessages = OutList.MaxActions;

    private readonly byte[] _publicKey;

    public WalletV5R1(ReadOnlySpan<byte> publicKey, int networkGlobalId = MainnetGlobalId, int workchain = 0, int subwalletNumber = 0)
    {
        _publicKey = WalletKeys.CheckPublicKey(publicKey);
        if (workchain is < sbyte.MinValue or > sbyte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(workchain), workchain, "A workchain id fits in 8 bits.");
        }

        if (subwalletNumber is < 0 or >= 1 << 15)
        {
            throw new ArgumentOutOfRangeException(nameof(subwalletNumber), subwalletNumber, "A v5 subwallet number has 15 bits.");
        }

        NetworkGlobalId = networkGlobalId;
        Workchain = workchain;
        var context = unchecked((int)(0x8000_0000u | ((uint)(byte)(sbyte)workchain << 23) | (0u << 15) | (uint)subwalletNumber));
        WalletId = networkGlobalId ^ context;
        var data = new CellBuilder()
            .StoreBit(true) // signature auth allowed
            .StoreUInt(0UL, 32) // seqno
            .StoreInt(WalletId, 32)
            .StoreBytes(_publicKey)
            .StoreDict(null) // no extensions
            .Build();
        StateInit = new StateInit(WalletCode.V5R1, data);
        Address = StateInit.Address(workchain);
    }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public int NetworkGlobalId { get; }

    public int Workchain { get; }

    public int WalletId { get; }

    public StateInit StateInit { get; }

    public TonAddress Address { get; }

    /// <summary>The signed body. External requests always carry IGNORE_ERRORS (+2), as the contract demands.</summary>
    public Cell CreateTransferBody(KeyPair key, uint seqno, uint validUntil, IReadOnlyList<InternalMessage> messages,
        SendMode mode = SendMode.Default)
    {
        WalletKeys.EnsureOwner(key, _publicKey);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count > MaxMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), messages.Count, $"Wallet v5 sends at most {MaxMessages} messages at once.");
        }

        var signing = new CellBuilder()
            .StoreUInt(SignedExternalOpcode, 32)
            .StoreInt(WalletId, 32)
            .StoreUInt(validUntil, 32)
            .StoreUInt(seqno, 32)
            .StoreMaybeRef(messages.Count == 0 ? null : OutList.Build(messages, mode | SendMode.IgnoreErrors))
            .StoreBit(false); // no extended actions
        var signature = key.Sign(signing.Build().Hash);
        return new CellBuilder().StoreBuilder(signing).StoreBytes(signature).Build();
    }

    /// <summary>The external message; the state init is attached by default for seqno 0 (the deploying transfer).</summary>
    public Cell CreateTransfer(KeyPair key, uint seqno, uint validUntil, IReadOnlyList<InternalMessage> messages,
        SendMode mode = SendMode.Default, bool? includeStateInit = null) =>
        SeqnoWalletMessage.Build(this, CreateTransferBody(key, seqno, validUntil, messages, mode), seqno, includeStateInit);
}
