using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Chain;

/// <summary>Real transfers on the dev chain, booked by the chain watcher into the ledger.</summary>
public sealed class DepositFlowTests(ChainFixture f) : IClassFixture<ChainFixture>
{
    private const long Ton = 1_000_000_000;

    [Fact]
    public async Task A_deposit_with_the_account_as_comment_is_credited_once_across_scans_and_restarts()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var account = Touch(ChainFixture.NewAccount());
        var fund = await f.Hooks.FundAsync(wallet, 3 * Ton, comment: account);

        var first = await f.Watcher(wallet).Scan();
        Assert.Equal(1, first.Deposits);
        Assert.Equal(3 * Ton, first.CreditedNano);
        var second = await f.Watcher(wallet).Scan();
        Assert.Equal(0, second.Transactions);

        // A restart of the watcher (a new activation) reads its persisted cursor and books nothing again.
        await f.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await f.Watcher(wallet).Scan();

        Assert.Equal(3 * Ton, await f.Balance(account));
        var entries = await f.Entries(account);
        var entry = Assert.Single(entries);
        Assert.Equal(LedgerEntryKind.Deposit, entry.Kind);
        Assert.Equal(Accounts.Chain, entry.Counterparty);
        Assert.Equal(Convert.ToHexStringLower(fund.TransactionId!.HashBytes()), entry.ExternalId.ToLowerInvariant());
        var status = await f.Watcher(wallet).GetStatus();
        Assert.Equal(fund.TransactionId.Lt, status.CursorLt);
    }

    [Fact]
    public async Task A_bounced_transfer_is_not_credited()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var account = Touch(ChainFixture.NewAccount());
        // Bounceable to a wallet that has no code yet: the chain sends the value back.
        await f.Hooks.FundAsync(wallet, 2 * Ton, comment: account, bounce: true);

        var report = await f.Watcher(wallet).Scan();

        Assert.Equal(1, report.Transactions);
        Assert.Equal(1, report.Skipped);
        Assert.Equal(0, report.CreditedNano);
        Assert.Equal(0, await f.Balance(account));
        Assert.Empty(await f.Entries(account));
    }

    [Fact]
    public async Task A_deposit_without_a_known_account_goes_to_suspense_with_its_comment()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var before = await f.Balance(Accounts.Suspense);
        var noComment = await f.Hooks.FundAsync(wallet, 1 * Ton);
        var systemAccount = await f.Hooks.FundAsync(wallet, 2 * Ton, comment: Accounts.Faucet);
        var garbage = await f.Hooks.FundAsync(wallet, 4 * Ton, comment: "not an account id!");

        var report = await f.Watcher(wallet).Scan();

        Assert.Equal(3, report.ToSuspense);
        Assert.Equal(before + 7 * Ton, await f.Balance(Accounts.Suspense));
        var memos = (await f.Entries(Accounts.Suspense)).Select(e => e.Memo).ToList();
        Assert.Contains(memos, m => m.Contains("(no comment)", StringComparison.Ordinal));
        Assert.Contains(memos, m => m.Contains("'not an account id!'", StringComparison.Ordinal));
        foreach (var fund in new[] { noComment, systemAccount, garbage })
            Assert.Contains(memos, m => m.Contains(Convert.ToHexString(fund.TransactionId!.HashBytes()), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Deposits_across_several_pages_are_each_credited_once_and_match_the_chain_balance()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var a = Touch(ChainFixture.NewAccount());
        var b = Touch(ChainFixture.NewAccount());
        long fees = 0;
        // Five transfers, pages of two: the scan walks three pages and skips each repeated cursor transaction.
        for (var i = 1; i <= 5; i++)
            await f.Hooks.FundAsync(wallet, i * Ton, comment: i % 2 == 0 ? a : b);
        var report = await f.Watcher(wallet).Scan();
        fees += report.FeesNano;
        Assert.Equal(5, report.Transactions);
        Assert.Equal(5, report.Deposits);

        // More deposits after the cursor: only those are read.
        await f.Hooks.FundAsync(wallet, 10 * Ton, comment: a);
        await f.Hooks.FundAsync(wallet, 20 * Ton, comment: b);
        report = await f.Watcher(wallet).Scan();
        fees += report.FeesNano;
        Assert.Equal(2, report.Transactions);

        Assert.Equal((2 + 4 + 10) * Ton, await f.Balance(a));
        Assert.Equal((1 + 3 + 5 + 20) * Ton, await f.Balance(b));
        var onChain = (await f.Toncenter.GetAddressInformationAsync(wallet)).Balance;
        Assert.Equal(await f.Balance(a) + await f.Balance(b) - fees, onChain);
    }

    [Fact]
    public async Task A_crash_between_credit_and_cursor_write_credits_nothing_twice()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var account = Touch(ChainFixture.NewAccount());
        for (var i = 0; i < 3; i++)
            await f.Hooks.FundAsync(wallet, Ton, comment: account);
        await f.Watcher(wallet).Scan();
        var chainBefore = await f.Balance(Accounts.Chain);

        // What a crash after booking but before the cursor write leaves behind: booked entries, an old cursor.
        await f.Watcher(wallet).ResetCursor();
        var report = await f.Watcher(wallet).Scan();

        Assert.Equal(3, report.Transactions);
        Assert.Equal(3 * Ton, await f.Balance(account));
        Assert.Equal(3, (await f.Entries(account)).Count);
        Assert.Equal(chainBefore, await f.Balance(Accounts.Chain));
    }

    [Fact]
    public async Task The_ledger_sums_to_zero()
    {
        var wallet = ChainFixture.NewDepositWallet();
        var account = Touch(ChainFixture.NewAccount());
        await f.Hooks.FundAsync(wallet, 5 * Ton, comment: account);
        await f.Hooks.FundAsync(wallet, 6 * Ton);
        await f.Watcher(wallet).Scan();

        long sum = 0;
        foreach (var a in f.Touched.ToArray())
            sum += await f.Balance(a);
        Assert.Equal(0, sum);
        Assert.True(await f.Balance(Accounts.Chain) < 0);
    }

    private string Touch(string account)
    {
        lock (f.Touched) f.Touched.Add(account);
        return account;
    }
}
