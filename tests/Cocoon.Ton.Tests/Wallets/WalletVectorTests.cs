using System.Numerics;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Wallets;

namespace Cocoon.Ton.Tests.Wallets;

public sealed class WalletVectorTests
{
    public static TheoryData<int> WalletIndexes() => Indexes("wallets");

    public static TheoryData<int> TransferIndexes() => Indexes("transfers");

    [Theory]
    [MemberData(nameof(WalletIndexes))]
    public void Wallet_addresses_match_the_reference_library(int index)
    {
        var vector = TestData.Vectors.GetProperty("wallets")[index];
        var publicKey = Convert.FromHexString(vector.GetProperty("publicKey").GetString()!);

        Assert.Equal(vector.GetProperty("v4r2").GetString(), new WalletV4R2(publicKey).Address.ToRaw());
        Assert.Equal(vector.GetProperty("v5r1Mainnet").GetString(), new WalletV5R1(publicKey).Address.ToRaw());
        Assert.Equal(vector.GetProperty("v5r1Testnet").GetString(),
            new WalletV5R1(publicKey, WalletV5R1.TestnetGlobalId).Address.ToRaw());
    }

    [Theory]
    [MemberData(nameof(TransferIndexes))]
    public void Signed_transfer_matches_the_reference_library_byte_for_byte(int index)
    {
        var vector = TestData.Vectors.GetProperty("transfers")[index];
        var key = KeyPair.FromSecretKey(Convert.FromHexString(vector.GetProperty("secretKey").GetString()!));
        var seqno = vector.GetProperty("seqno").GetUInt32();
        var validUntil = vector.GetProperty("validUntil").GetUInt32();
        var mode = (SendMode)vector.GetProperty("sendMode").GetInt32();
        var messages = vector.GetProperty("messages").EnumerateArray()
            .Select(m => InternalMessage.WithComment(
                TonAddress.Parse(m.GetProperty("to").GetString()!),
                (long)BigInteger.Parse(m.GetProperty("value").GetString()!),
                m.GetProperty("comment").GetString()!,
                m.GetProperty("bounce").GetBoolean()))
            .ToList();

        var external = vector.GetProperty("wallet").GetString() switch
        {
            "v4r2" => new WalletV4R2(key.PublicKey.Span).CreateTransfer(key, seqno, validUntil, messages, mode),
            "v5r1" => new WalletV5R1(key.PublicKey.Span).CreateTransfer(key, seqno, validUntil, messages, mode),
            var other => throw new InvalidOperationException($"unknown wallet {other}"),
        };

        Assert.Equal(vector.GetProperty("externalHash").GetString(), external.HashHex);
        Assert.Equal(vector.GetProperty("externalBoc").GetString(), Convert.ToHexStringLower(external.ToBoc(withCrc32C: true)));
    }

    [Fact]
    public void Deploying_v5r1_transfer_is_the_message_the_emulator_executed()
    {
        // Fixtures/sandbox-transactions.json "walletV5Deploy": seqno 0 with the state init, valid until now + 60.
        var executed = Cocoon.Ton.Transactions.Transaction.FromBoc(SandboxFixture.Transaction("walletV5Deploy").GetProperty("boc").GetString()!);
        var key = KeyPair.FromSecretKey(Convert.FromHexString(SandboxFixture.Root.GetProperty("highload").GetProperty("secretKey").GetString()!));
        var wallet = new WalletV5R1(key.PublicKey.Span);
        var ghost = TonAddress.ParseRaw("0:" + string.Concat(Enumerable.Repeat("42", 32)));

        var external = wallet.CreateTransfer(key, 0, 1_800_000_060, [InternalMessage.WithComment(ghost, 1_000_000_000, "will bounce")]);

        Assert.Equal(executed.InMessage!.Hash, external.HashHex);
        Assert.NotNull(executed.InMessage.StateInit);
        Assert.Equal(wallet.StateInit.ToCell(), executed.InMessage.StateInit);
        Assert.Equal(wallet.Address, executed.Account);
    }

    [Fact]
    public void Contract_code_constants_have_their_published_hashes()
    {
        Assert.Equal("11acad7955844090f283bf238bc1449871f783e7cc0979408d3f4859483e8525", WalletCode.HighloadV3.HashHex);
        Assert.Equal("feb5ff6820e2ff0d9483e7e0d62c817d846789fb4ae580c878866d959dabd5c0", WalletCode.V4R2.HashHex);
        Assert.Equal("20834b7b72b112147e1b2fb457b84e74d1a30f04f737d4f62a668e9552d2b72f", WalletCode.V5R1.HashHex);
    }

    [Fact]
    public void Signing_with_a_key_that_does_not_own_the_wallet_is_refused()
    {
        var owner = KeyPair.Generate();
        var stranger = KeyPair.Generate();
        var wallet = new WalletV4R2(owner.PublicKey.Span);

        Assert.Throws<ArgumentException>(() => wallet.CreateTransfer(stranger, 1, 1, []));
    }

    [Fact]
    public void First_transfer_carries_the_state_init_and_later_ones_do_not()
    {
        var key = KeyPair.Generate();
        var wallet = new WalletV5R1(key.PublicKey.Span);

        Assert.True(HasStateInit(wallet.CreateTransfer(key, 0, 100, [])));
        Assert.False(HasStateInit(wallet.CreateTransfer(key, 1, 100, [])));
    }

    private static bool HasStateInit(Cell external)
    {
        var slice = external.BeginParse();
        slice.SkipBits(4);
        slice.LoadAddress();
        slice.LoadCoins();
        return slice.LoadBit();
    }

    private static TheoryData<int> Indexes(string name)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < TestData.Vectors.GetProperty(name).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }
}
