using Cocoon.Ton.Addresses;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Transactions;
using Cocoon.Ton.Wallets;

namespace Cocoon.Ton.Tests.Wallets;

/// <summary>
/// Highload v3 against messages built with @ton/core after the contract repository's wrapper and executed
/// successfully in @ton/sandbox (Fixtures/sandbox-transactions.json).
/// </summary>
public sealed class HighloadWalletV3Tests
{
    private static KeyPair Key => KeyPair.FromSecretKey(Convert.FromHexString(
        SandboxFixture.Root.GetProperty("highload").GetProperty("secretKey").GetString()!));

    [Fact]
    public void Address_and_state_init_match_the_reference()
    {
        var expected = SandboxFixture.Root.GetProperty("highload");
        var wallet = new HighloadWalletV3(Key.PublicKey.Span);

        Assert.Equal(expected.GetProperty("address").GetString(), wallet.Address.ToRaw());
        Assert.Equal(expected.GetProperty("stateInitHash").GetString(), wallet.StateInit.ToCell().HashHex);
        Assert.Equal(0x10adu, wallet.SubwalletId);
        Assert.Equal(3600u, wallet.Timeout);
    }

    [Fact]
    public void Deploying_single_transfer_matches_the_executed_message_byte_for_byte()
    {
        var expected = SandboxFixture.Root.GetProperty("highload").GetProperty("single");
        Assert.All(expected.GetProperty("result").EnumerateArray().Take(1), r => Assert.True(r.GetProperty("ok").GetBoolean()));
        var wallet = new HighloadWalletV3(Key.PublicKey.Span);
        var message = InternalMessage.WithComment(TonAddress.Parse(expected.GetProperty("to").GetString()!),
            long.Parse(expected.GetProperty("value").GetString()!), expected.GetProperty("comment").GetString()!,
            expected.GetProperty("bounce").GetBoolean());

        var external = wallet.CreateTransfer(Key, new HighloadQueryId(0, 0), expected.GetProperty("createdAt").GetUInt64(),
            message, SendMode.Default, includeStateInit: true);

        Assert.Equal(expected.GetProperty("externalHash").GetString(), external.HashHex);
        Assert.Equal(expected.GetProperty("externalBoc").GetString(), Convert.ToHexStringLower(external.ToBoc(withCrc32C: true)));
    }

    [Fact]
    public void Batch_transfer_matches_the_executed_message_byte_for_byte()
    {
        var expected = SandboxFixture.Root.GetProperty("highload").GetProperty("batch");
        var wallet = new HighloadWalletV3(Key.PublicKey.Span);
        var messages = expected.GetProperty("messages").EnumerateArray()
            .Select(m => InternalMessage.WithComment(TonAddress.Parse(m.GetProperty("to").GetString()!),
                long.Parse(m.GetProperty("value").GetString()!), m.GetProperty("comment").GetString()!, m.GetProperty("bounce").GetBoolean()))
            .ToList();

        var external = wallet.CreateBatchTransfer(Key, new HighloadQueryId(1, 5), expected.GetProperty("createdAt").GetUInt64(), messages);

        Assert.Equal(expected.GetProperty("externalHash").GetString(), external.HashHex);
        Assert.Equal(expected.GetProperty("externalBoc").GetString(), Convert.ToHexStringLower(external.ToBoc(withCrc32C: true)));

        // The emulator ran it: the wallet's internal_transfer transaction created one message per transfer.
        var internalTx = Transaction.FromBoc(SandboxFixture.Transaction("highloadBatchInternal").GetProperty("boc").GetString()!);
        Assert.Equal(messages.Count, internalTx.Description.Action!.MessagesCreated);
        Assert.Equal(messages.Select(m => m.To), internalTx.OutMessages.Select(m => ((InternalMessageInfo)m.Info).Destination));
    }

    [Fact]
    public void Signed_inner_message_has_the_contract_layout()
    {
        var key = KeyPair.Generate();
        var wallet = new HighloadWalletV3(key.PublicKey.Span, subwalletId: 7, timeout: 120);
        var to = new TonAddress(0, new byte[32]);
        var external = wallet.CreateTransfer(key, new HighloadQueryId(8191, 1022), 1_700_000_000, new InternalMessage(to, 5));

        var slice = external.BeginParse();
        slice.SkipBits(4);
        Assert.Equal(wallet.Address, slice.LoadAddress());
        slice.LoadCoins();
        Assert.False(slice.LoadBit()); // no state init
        Assert.False(slice.LoadBit()); // body inline
        var signature = slice.LoadBytes(64);
        var inner = slice.LoadRef();
        slice.EndParse();
        Assert.True(KeyPair.Verify(key.PublicKey.Span, inner.Hash, signature));

        var fields = inner.BeginParse();
        Assert.Equal(7UL, fields.LoadUInt(32));
        var sent = fields.LoadRef();
        Assert.Equal(3UL, fields.LoadUInt(8));
        Assert.Equal(8191UL, fields.LoadUInt(13));
        Assert.Equal(1022UL, fields.LoadUInt(10));
        Assert.Equal(1_700_000_000UL, fields.LoadUInt(64));
        Assert.Equal(120UL, fields.LoadUInt(22));
        fields.EndParse();
        Assert.Equal(new InternalMessage(to, 5).ToCell(), sent);
    }

    [Fact]
    public void Batch_of_254_builds_a_full_action_list_and_255_is_refused()
    {
        var key = KeyPair.Generate();
        var wallet = new HighloadWalletV3(key.PublicKey.Span);
        var to = new TonAddress(0, new byte[32]);
        var transfers = Enumerable.Range(0, 254).Select(i => InternalMessage.WithComment(to, 1000 + i, $"w{i}")).ToList();

        var external = wallet.CreateBatchTransfer(key, new HighloadQueryId(3, 3), 1_700_000_000, transfers);

        var inner = external.BeginParse();
        inner.SkipBits(4);
        inner.LoadAddress();
        inner.LoadCoins();
        inner.SkipBits(2);
        inner.SkipBits(512);
        var toSelf = Message.Load(inner.LoadRef().BeginParse().LoadRef());
        Assert.Equal(wallet.Address, ((InternalMessageInfo)toSelf.Info).Destination);
        var body = toSelf.Body.BeginParse();
        Assert.Equal(HighloadWalletV3.InternalTransferOpcode, (uint)body.LoadUInt(32));
        Assert.Equal(new HighloadQueryId(3, 3).Value, body.LoadUInt(64));
        var count = 0;
        for (var list = body.LoadRef(); list.Refs.Count > 0; list = list.Refs[0])
        {
            count++;
        }

        Assert.Equal(254, count);
        transfers.Add(InternalMessage.WithComment(to, 1, "one too many"));
        Assert.Throws<ArgumentOutOfRangeException>(() => wallet.CreateBatchTransfer(key, new HighloadQueryId(3, 4), 1, transfers));
    }

    [Fact]
    public void Query_ids_enumerate_shift_and_bit_number()
    {
        Assert.Equal(new HighloadQueryId(0, 1), new HighloadQueryId(0, 0).Next());
        Assert.Equal(new HighloadQueryId(1, 0), new HighloadQueryId(0, 1022).Next());
        Assert.Equal((1UL << 10) | 5, new HighloadQueryId(1, 5).Value);
        Assert.Equal(new HighloadQueryId(1, 5), HighloadQueryId.FromValue((1UL << 10) | 5));
        Assert.Equal(new HighloadQueryId(2, 7), HighloadQueryId.FromSequence(new HighloadQueryId(2, 7).Sequence));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HighloadQueryId(0, 1023));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HighloadQueryId(8192, 0));
        Assert.Throws<InvalidOperationException>(() => new HighloadQueryId(8191, 1021).Next());
    }
}
