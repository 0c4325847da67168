using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Wallets;

/// <summary>
/// Wallet v4r2. Data: seqno:uint32 wallet_id:uint32 public_key:bits256 plugins:(HashmapE 256). A transfer signs
/// wallet_id valid_until seqno op:uint8=0 and up to four (mode:uint8, ^MessageRelaxed), the signature in front.
/// </summary>
public sealed class WalletV4R2 : ITonWallet
{
    /// <summary>The default wallet id is this plus the workchain.</summary>
    public const uint DefaultWalletIdBase = 698983191;

    public const int MaxMessages = 4;

    private readonly byte[] _publicKey;

    public WalletV4R2(ReadOnlySpan<byte> publicKey, int workchain = 0, uint? walletId = null)
    {
        _publicKey = WalletKeys.CheckPublicKey(publicKey);
        Workchain = workchain;
        WalletId = walletId ?? unchecked(DefaultWalletIdBase + (uint)workchain);
        var data = new CellBuilder()
            .StoreUInt(0UL, 32) // seqno
            .StoreUInt(WalletId, 32)
            .StoreBytes(_publicKey)
            .StoreDict(null) // no plugins
            .Build();
        StateInit = new StateInit(WalletCode.V4R2, data);
        Address = StateInit.Address(workchain);
    }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public int Workchain { get; }

    public uint WalletId { get; }

    public StateInit StateInit { get; }

    public TonAddress Address { get; }

    /// <summary>The signed body of a transfer (what goes into the external message).</summary>
    public Cell CreateTransferBody(KeyPair key, uint seqno, uint validUntil, IReadOnlyList<InternalMessage> messages,
        SendMode mode = SendMode.Default)
    {
        WalletKeys.EnsureOwner(key, _publicKey);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count > MaxMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(messages), messages.Count, $"Wallet v4 sends at most {MaxMessages} messages at once.");
        }

        var signing = new CellBuilder()
            .StoreUInt(WalletId, 32)
            .StoreUInt(validUntil, 32)
            .StoreUInt(seqno, 32)
            .StoreUInt(0UL, 8); // op: simple send
        foreach (var message in messages)
        {
            signing.StoreUInt((byte)mode, 8).StoreRef(message.ToCell());
        }

        var signature = key.Sign(signing.Build().Hash);
        return new CellBuilder().StoreBytes(signature).StoreBuilder(signing).Build();
    }

    /// <summary>
    /// The external message to send. The state init is attached when <paramref name="includeStateInit"/> says so,
    /// by default for seqno 0 (the transfer that deploys the wallet).
    /// </summary>
    public Cell CreateTransfer(KeyPair key, uint seqno, uint validUntil, IReadOnlyList<InternalMessage> messages,
        SendMode mode = SendMode.Default, bool? includeStateInit = null) =>
        SeqnoWalletMessage.Build(this, CreateTransferBody(key, seqno, validUntil, messages, mode), seqno, includeStateInit);
}
