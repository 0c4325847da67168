using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;

namespace Cocoon.DevChain.Tests;

[Collection(DevChainCollection.Name)]
public sealed class DevChainTests(DevChainFixture fixture)
{
    private const long OneTon = 1_000_000_000;

    private ToncenterClient Toncenter => fixture.Toncenter;

    private DevChainHooks Hooks => fixture.Hooks;

    [Fact]
    public async Task Funding_with_a_comment_is_a_transaction_with_that_value_and_comment()
    {
        var address = TestPaths.NewAddress();
        var faucet = await Hooks.GetFaucetAsync();

        var funded = await Hooks.FundAsync(address, 1_500_000_000, "deposit:alice");

        var transactions = await Toncenter.GetTransactionsAsync(address, limit: 10);
        var tx = Assert.Single(transactions);
        Assert.Equal(funded.TransactionId, tx.TransactionId);
        Assert.Equal(funded.Address, tx.Address);
        Assert.NotNull(tx.InMessage);
        Assert.Equal(1_500_000_000, tx.InMessage.Value);
        Assert.Equal("deposit:alice", tx.InMessage.Comment);
        Assert.Equal(faucet.Address, tx.InMessage.Source);
        Assert.Equal(funded.Address, tx.InMessage.Destination);
        Assert.False(tx.InMessage.IsExternalIn);
        Assert.NotEmpty(Convert.FromBase64String(tx.Data));
        Assert.Equal(32, tx.TransactionId.HashBytes().Length);
    }

    [Fact]
    public async Task Funding_moves_money_from_the_faucet_instead_of_creating_it()
    {
        var address = TestPaths.NewAddress();
        var before = await Hooks.GetFaucetAsync();

        await Hooks.FundAsync(address, 2 * OneTon);

        var after = await Hooks.GetFaucetAsync();
        var info = await Toncenter.GetAddressInformationAsync(address);
        Assert.Equal(2 * OneTon, info.Balance);
        Assert.Equal(AccountState.Uninitialized, info.State);
        Assert.False(info.LastTransactionId.IsEmpty);
        // The faucet paid the amount plus its own fees: nothing appeared from nowhere.
        Assert.True(before.Balance - after.Balance >= 2 * OneTon);
    }

    [Fact]
    public async Task An_unknown_address_is_uninitialized_with_no_transactions()
    {
        var address = TestPaths.NewAddress();

        var info = await Toncenter.GetAddressInformationAsync(address);
        var wallet = await Toncenter.GetWalletInformationAsync(address);
        var transactions = await Toncenter.GetTransactionsAsync(address);
        var get = await Toncenter.RunGetMethodAsync(address, "seqno");

        Assert.Equal(0, info.Balance);
        Assert.Equal(AccountState.Uninitialized, info.State);
        Assert.True(info.LastTransactionId.IsEmpty);
        Assert.False(wallet.IsWallet);
        Assert.Empty(transactions);
        Assert.Equal(-13, get.ExitCode);
        Assert.False(get.Succeeded);
    }

    [Fact]
    public async Task Paging_by_lt_and_hash_returns_each_transaction_once_in_order_and_stably()
    {
        var address = TestPaths.NewAddress();
        for (var i = 0; i < 7; i++)
        {
            await Hooks.FundAsync(address, OneTon / 10, $"p{i}");
        }

        var first = await PageAllAsync(address, pageSize: 3);
        var second = await PageAllAsync(address, pageSize: 3);
        var whole = await Toncenter.GetTransactionsAsync(address, limit: 100);
        var wholeAgain = await Toncenter.GetTransactionsAsync(address, limit: 100);

        Assert.Equal(["p6", "p5", "p4", "p3", "p2", "p1", "p0"], first.Select(t => t.InMessage!.Comment));
        Assert.Equal(7, first.Select(t => t.TransactionId).Distinct().Count());
        Assert.True(first.Zip(first.Skip(1)).All(pair => pair.First.TransactionId.Lt > pair.Second.TransactionId.Lt));
        Assert.Equal(first.Select(t => t.TransactionId), second.Select(t => t.TransactionId));
        Assert.Equal(first.Select(t => t.TransactionId), whole.Select(t => t.TransactionId));
        Assert.Equal(whole.Select(t => t.TransactionId), wholeAgain.Select(t => t.TransactionId));
    }

    [Fact]
    public async Task To_lt_stops_before_already_seen_transactions()
    {
        var address = TestPaths.NewAddress();
        var old = await Hooks.FundAsync(address, OneTon / 10, "old");
        await Hooks.FundAsync(address, OneTon / 10, "new");

        var newer = await Toncenter.GetTransactionsAsync(address, limit: 10, toLt: old.TransactionId!.Lt);

        Assert.Equal(["new"], newer.Select(t => t.InMessage!.Comment));
    }

    [Fact]
    public async Task A_cursor_that_does_not_exist_is_a_not_found_error()
    {
        var address = TestPaths.NewAddress();
        var funded = await Hooks.FundAsync(address, OneTon / 10);

        var error = await Assert.ThrowsAsync<ToncenterException>(() =>
            Toncenter.GetTransactionsAsync(address, limit: 5, lt: funded.TransactionId!.Lt, hash: Convert.ToBase64String(new byte[32])));

        Assert.Equal(404, error.Code);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task The_masterchain_seqno_advances_as_blocks_commit()
    {
        var before = await Toncenter.GetMasterchainInfoAsync();

        var funded = await Hooks.FundAsync(TestPaths.NewAddress(), OneTon / 10);

        var after = await Toncenter.GetMasterchainInfoAsync();
        Assert.True(after.Last.Seqno > before.Last.Seqno);
        Assert.Equal(funded.Seqno, after.Last.Seqno);
        Assert.Equal(-1, after.Last.Workchain);
        Assert.Equal(0u, after.Init.Seqno);
        Assert.NotEqual(before.Last.RootHash, after.Last.RootHash);
    }

    [Fact]
    public async Task A_signed_wallet_external_deploys_the_wallet_and_pays_the_recipient()
    {
        var (signed, recipient) = await PrepareWalletTransferAsync("thanks");

        var sent = await Toncenter.SendBocReturnHashAsync(signed.Boc);

        Assert.Equal(signed.Hash, sent.Hash);
        var wallet = await Toncenter.GetWalletInformationAsync(signed.WalletAddress);
        Assert.True(wallet.IsWallet);
        Assert.Equal("wallet v4 r2", wallet.WalletType);
        Assert.Equal(1u, wallet.Seqno);
        Assert.Equal(AccountState.Active, wallet.AccountState);
        var seqno = await Toncenter.RunGetMethodAsync(signed.WalletAddress, "seqno");
        Assert.Equal(0, seqno.ExitCode);
        Assert.Equal(1, (int)Assert.Single(seqno.Stack).AsNumber());

        var walletTx = (await Toncenter.GetTransactionsAsync(signed.WalletAddress, limit: 1))[0];
        Assert.True(walletTx.InMessage!.IsExternalIn);
        Assert.Equal(signed.Hash, walletTx.InMessage.Hash);
        var payment = Assert.Single(walletTx.OutMessages);
        Assert.Equal(recipient.Address, payment.Destination);
        Assert.Equal(OneTon / 4, payment.Value);
        Assert.Equal("thanks", payment.Comment);
        Assert.True(walletTx.Fee > 0);

        var received = (await Toncenter.GetTransactionsAsync(recipient.Address, limit: 1))[0];
        Assert.Equal(payment.Hash, received.InMessage!.Hash);
        Assert.Equal("thanks", received.InMessage.Comment);

        // The same message again is refused by the wallet (its seqno moved on); retrying would not help.
        var again = await Assert.ThrowsAsync<ToncenterException>(() => Toncenter.SendBocReturnHashAsync(signed.Boc));
        Assert.False(again.IsTransient);
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task Delayed_inclusion_queues_externals_until_include()
    {
        var (signed, _) = await PrepareWalletTransferAsync(null);
        var seqnoBefore = (await Toncenter.GetMasterchainInfoAsync()).Last.Seqno;
        await Hooks.SetDelayedInclusionAsync(true);
        try
        {
            var sent = await Toncenter.SendBocReturnHashAsync(signed.Boc);

            var pending = Assert.Single(await Hooks.GetPendingAsync());
            Assert.Equal(sent.Hash, pending.Hash);
            Assert.Equal(AccountState.Uninitialized, (await Toncenter.GetAddressInformationAsync(signed.WalletAddress)).State);
            Assert.Single(await Toncenter.GetTransactionsAsync(signed.WalletAddress));
            Assert.Equal(seqnoBefore, (await Toncenter.GetMasterchainInfoAsync()).Last.Seqno);

            var included = Assert.Single(await Hooks.IncludeAsync());

            Assert.True(included.Included, included.Error);
            Assert.Equal(sent.Hash, included.Hash);
            Assert.Empty(await Hooks.GetPendingAsync());
            var latest = (await Toncenter.GetTransactionsAsync(signed.WalletAddress, limit: 1))[0];
            Assert.Equal(included.TransactionId, latest.TransactionId);
            Assert.Equal(sent.Hash, latest.InMessage!.Hash);
            Assert.True((await Toncenter.GetMasterchainInfoAsync()).Last.Seqno > seqnoBefore);
        }
        finally
        {
            await Hooks.SetDelayedInclusionAsync(false);
        }
    }

    [Fact]
    public async Task A_queued_external_that_no_longer_applies_is_dropped_with_a_reason()
    {
        var (signed, _) = await PrepareWalletTransferAsync(null);
        await Hooks.SetDelayedInclusionAsync(true);
        try
        {
            await Toncenter.SendBocReturnHashAsync(signed.Boc);
            await Hooks.AdvanceTimeAsync(TimeSpan.FromHours(1));

            var outcome = Assert.Single(await Hooks.IncludeAsync());

            Assert.False(outcome.Included);
            Assert.Null(outcome.TransactionId);
            Assert.Contains("not accepted", outcome.Error);
            Assert.Equal(AccountState.Uninitialized, (await Toncenter.GetAddressInformationAsync(signed.WalletAddress)).State);
        }
        finally
        {
            await Hooks.SetDelayedInclusionAsync(false);
        }
    }

    [Fact]
    public async Task The_chain_clock_moves_forward_and_never_back()
    {
        var before = await Hooks.GetTimeAsync();

        var advanced = await Hooks.AdvanceTimeAsync(TimeSpan.FromMinutes(10));
        var address = TestPaths.NewAddress();
        await Hooks.FundAsync(address, OneTon / 10);

        Assert.True(advanced.UnixTime >= before.UnixTime + 600);
        var tx = Assert.Single(await Toncenter.GetTransactionsAsync(address));
        Assert.True(tx.Utime >= advanced.UnixTime);
        var back = await Assert.ThrowsAsync<DevChainException>(() => Hooks.SetTimeAsync(before.UnixTime - 1));
        Assert.Equal(400, back.Code);
    }

    [Fact]
    public async Task A_bad_boc_is_a_clear_non_transient_error()
    {
        var error = await Assert.ThrowsAsync<ToncenterException>(() => Toncenter.SendBocReturnHashAsync("bm90IGEgYm9j"));

        Assert.Equal(400, error.Code);
        Assert.Contains("bag of cells", error.Error);
        Assert.False(error.IsTransient);
        Assert.Equal("sendBocReturnHash", error.Method);
    }

    [Fact]
    public async Task Bad_addresses_and_amounts_are_rejected()
    {
        var address = await Assert.ThrowsAsync<ToncenterException>(() => Toncenter.GetAddressInformationAsync("not-an-address"));
        var fund = await Assert.ThrowsAsync<DevChainException>(() => Hooks.FundAsync("nope", OneTon));
        var tooMuch = await Assert.ThrowsAsync<DevChainException>(() => Hooks.FundAsync(TestPaths.NewAddress(), long.MaxValue));

        Assert.Equal(400, address.Code);
        Assert.Contains("not a valid TON address", address.Error);
        Assert.Equal(400, fund.Code);
        Assert.Equal(400, tooMuch.Code);
        Assert.Contains("faucet holds only", tooMuch.Message);
    }

    // Funds a fresh wallet v4r2 address (undeployed) and a recipient, and signs the wallet's first transfer to it.
    private async Task<(SignTransferTool.SignedTransfer Signed, FundResult Recipient)> PrepareWalletTransferAsync(string? comment)
    {
        var recipient = await Hooks.FundAsync(TestPaths.NewAddress(), OneTon / 10);
        var chainTime = await Hooks.GetTimeAsync();
        var signed = await SignTransferTool.SignAsync(SignTransferTool.NewSeed(), 0, recipient.Address, OneTon / 4, comment, chainTime.UnixTime + 600);
        await Hooks.FundAsync(signed.WalletAddress, OneTon);
        return (signed, recipient);
    }

    // Pages backwards with toncenter's inclusive (lt, hash) cursor: each page after the first repeats the cursor.
    private async Task<List<ToncenterTransaction>> PageAllAsync(string address, int pageSize)
    {
        var all = new List<ToncenterTransaction>();
        TransactionId? cursor = null;
        while (true)
        {
            var page = await Toncenter.GetTransactionsAsync(address, limit: pageSize + (cursor is null ? 0 : 1), lt: cursor?.Lt, hash: cursor?.Hash);
            var fresh = cursor is null ? page : page.Where(t => t.TransactionId != cursor).ToList();
            if (fresh.Count == 0)
            {
                return all;
            }

            all.AddRange(fresh);
            cursor = fresh[^1].TransactionId;
        }
    }
}
