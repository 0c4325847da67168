using Cocoon.Errors;
using Cocoon.Payouts;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>Withdrawals paid by the highload treasury on the dev chain, confirmed from its transactions, agreeing with the ledger.</summary>
public sealed class PayoutFlowTests(TreasuryFixture f) : IClassFixture<TreasuryFixture>
{
    private const long Ton = TreasuryFixture.Ton;

    [Fact]
    public async Task A_withdrawal_is_paid_once_and_the_ledger_agrees_with_the_chain()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 5 * Ton);
        var to = TreasuryFixture.NewDestination();
        var request = new WithdrawalRequest(account, 1_500_000_000, to, "w-1");

        var accepted = await f.Withdrawals(account).Withdraw(request);
        Assert.Equal(PayoutStatus.Queued, accepted.Status);
        Assert.Equal(3_500_000_000, await f.Balance(account));
        Assert.Equal(accepted.PayoutId, (await f.Withdrawals(account).Withdraw(request)).PayoutId); // idempotent by request id

        await f.RunUntil(async () => (await f.Withdrawals(account).GetWithdrawal("w-1"))!.Status == PayoutStatus.Confirmed);
        for (var i = 0; i < 3; i++) await f.TreasuryGrain.RunOnce();

        Assert.Equal(1_500_000_000, await f.ChainBalance(to));
        var done = (await f.Withdrawals(account).GetWithdrawal("w-1"))!;
        Assert.NotNull(done.TransactionHash);
        Assert.Equal(3_500_000_000, await f.Balance(account));
        Assert.Equal(0, await f.Balance(Accounts.PayoutsInFlight));
        await f.AssertLedgerMatchesChain();
    }

    [Fact]
    public async Task Three_hundred_payouts_go_in_two_highload_messages_each_paid_exactly()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 100 * Ton);
        var destinations = Enumerable.Range(0, 300).Select(_ => TreasuryFixture.NewDestination()).ToArray();
        for (var i = 0; i < destinations.Length; i++)
            await f.Withdrawals(account).Withdraw(new WithdrawalRequest(account, 20_000_000 + i, destinations[i], $"bulk-{i}"));

        var reports = await f.RunUntil(async () => (await f.TreasuryGrain.GetStatus()).OpenPayouts == 0);

        Assert.Equal(2, reports.Sum(r => r.BatchesSent));
        Assert.Equal(300, reports.Sum(r => r.Confirmed));
        for (var i = 0; i < destinations.Length; i += 37)
            Assert.Equal(20_000_000 + i, await f.ChainBalance(destinations[i]));
        Assert.Equal(100 * Ton - Enumerable.Range(0, 300).Sum(i => 20_000_000L + i), await f.Balance(account));
        await f.AssertLedgerMatchesChain();
    }

    [Fact]
    public async Task A_bounced_payout_returns_to_the_owner_whole_and_the_operator_bears_the_fees()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 2 * Ton);
        // Bounceable, to an address with no code: the destination sends the value back.
        var to = TreasuryFixture.NewDestination(bounceable: true);

        await f.Withdrawals(account).Withdraw(new WithdrawalRequest(account, 1 * Ton, to, "bounce-me"));
        await f.RunUntil(async () => (await f.Withdrawals(account).GetWithdrawal("bounce-me"))!.Status == PayoutStatus.Bounced);

        Assert.Equal(0, await f.ChainBalance(to));
        Assert.Equal(2 * Ton, await f.Balance(account));
        Assert.Equal(0, await f.Balance(Accounts.PayoutsInFlight));
        await f.AssertLedgerMatchesChain();
    }

    [Fact]
    public async Task Bad_withdrawals_get_typed_errors_and_move_no_money()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 1 * Ton);
        var to = TreasuryFixture.NewDestination();
        var w = f.Withdrawals(account);

        Assert.Equal("destination", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, Ton / 2, "not-an-address", "a")))).Field);
        Assert.Equal("destination", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, Ton / 2, f.Treasury.Address, "b")))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, 1, to, "c")))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, 2 * Ton, to, "d")))).Field);
        Assert.Equal("request_id", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, Ton / 2, to, "bad id!")))).Field);
        Assert.Equal("account", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new("someone-else", Ton / 2, to, "e")))).Field);
        Assert.Equal("account", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => f.Withdrawals(Accounts.Chain).Withdraw(new(Accounts.Chain, Ton / 2, to, "f")))).Field);

        await w.Withdraw(new(account, Ton / 4, to, "g"));
        Assert.Equal("request_id", (await Assert.ThrowsAsync<InvalidWithdrawalException>(() => w.Withdraw(new(account, Ton / 3, to, "g")))).Field);
        Assert.Equal(PayoutStatus.Rejected, (await w.GetWithdrawal("d"))!.Status);
        Assert.Null(await w.GetWithdrawal("a"));
        Assert.Equal(Ton - Ton / 4, await f.Balance(account));
    }

    [Fact]
    public async Task Withdrawals_not_signed_by_the_accounts_own_key_are_refused_and_move_no_money()
    {
        var victim = TreasuryFixture.NewAccount();
        await f.Fund(victim, 1 * Ton);
        var thief = Cocoon.Security.AccountKey.Create();
        var to = TreasuryFixture.NewDestination();
        var grain = f.Client.GetGrain<IWithdrawalGrain>(victim);
        var request = new WithdrawalRequest(victim, Ton / 2, to, "steal");
        Cocoon.Security.RequestSignature Sign(Cocoon.Security.AccountKey key, WithdrawalRequest r) => Cocoon.Security.RequestSigning.Sign(key,
            Cocoon.Security.RequestOperations.WalletWithdraw, Cocoon.Security.RequestContent.Withdrawal(r.RequestId, r.AmountNano, r.Destination), DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<SignatureRejectedException>(() => grain.Withdraw(request));
        await Assert.ThrowsAsync<SignatureRejectedException>(() => grain.Withdraw(request with { Signature = Sign(thief, request) }));
        // The victim's own signature over another amount or destination does not carry over.
        var signed = f.Withdrawals(victim);
        var genuine = request with { RequestId = "genuine", AmountNano = Ton / 10 };
        var victimSignature = Cocoon.Security.RequestSigning.Sign(TreasuryKeys(victim), Cocoon.Security.RequestOperations.WalletWithdraw,
            Cocoon.Security.RequestContent.Withdrawal(genuine.RequestId, genuine.AmountNano, genuine.Destination), DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<SignatureRejectedException>(() => grain.Withdraw(genuine with { AmountNano = Ton / 2, Signature = victimSignature }));
        // Replaying the genuine signed request creates nothing new.
        var accepted = await grain.Withdraw(genuine with { Signature = victimSignature });
        await Assert.ThrowsAsync<RequestReplayedException>(() => grain.Withdraw(genuine with { Signature = victimSignature }));
        await Assert.ThrowsAsync<SignatureRejectedException>(() => grain.GetWithdrawal(
            Cocoon.Security.RequestSigning.SignedRequest(thief, Cocoon.Security.RequestOperations.WalletWithdrawal, Cocoon.Security.RequestContent.WithdrawalStatus("genuine"), DateTimeOffset.UtcNow), "genuine"));

        Assert.Equal(Ton - Ton / 10, await f.Balance(victim));
        Assert.Equal(accepted.PayoutId, (await signed.GetWithdrawal("genuine"))!.PayoutId);
        Assert.Null(await signed.GetWithdrawal("steal"));
    }

    [Fact]
    public async Task The_treasury_and_the_deposit_watcher_refuse_calls_from_client_connections()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 1 * Ton);
        var payout = f.Client.GetGrain<Cocoon.Grains.Payouts.ITreasuryGrain>(f.Treasury.Address)
            .RequestPayout(new WithdrawalRequest(account, Ton / 2, TreasuryFixture.NewDestination(), "bypass"));
        Assert.Equal("call_refused", (await Assert.ThrowsAsync<CallRefusedException>(() => payout)).Code);
        var rescan = f.Client.GetGrain<Cocoon.Grains.Chain.IChainWatcherGrain>(f.Deposit.Address).ResetCursor();
        Assert.Equal("call_refused", (await Assert.ThrowsAsync<CallRefusedException>(() => rescan)).Code);
        Assert.Equal(Ton, await f.Balance(account));
        Assert.Null(await f.Withdrawals(account).GetWithdrawal("bypass"));
    }

    private static Cocoon.Security.AccountKey TreasuryKeys(string account) => TreasuryFixture.KeyOf(account);

    [Fact]
    public async Task A_sweep_moves_the_deposit_wallet_into_the_treasury_with_its_fee_booked()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Hooks.FundAsync(f.Deposit.DepositAddress, TreasuryFixture.SweepThreshold + 5 * Ton, comment: account);
        await f.Watcher.Scan();
        Assert.Equal(TreasuryFixture.SweepThreshold + 5 * Ton, await f.Balance(account));
        var before = await f.ChainBalance(f.Deposit.Address);

        await f.RunUntil(async () => await f.ChainBalance(f.Deposit.Address) < before - TreasuryFixture.SweepThreshold);

        Assert.InRange(await f.ChainBalance(f.Deposit.Address), 1, 200_000_000);
        await f.AssertLedgerMatchesChain();
    }
}
