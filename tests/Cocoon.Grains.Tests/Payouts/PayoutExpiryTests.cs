using Cocoon.Payouts;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>
/// Delayed inclusion: a sent batch sits in the chain's queue while its validity runs out. The treasury re-signs it with
/// a new query id only once the chain proves the old one can never run, and the payout lands exactly once.
/// </summary>
public sealed class PayoutExpiryTests(TreasuryFixture f) : IClassFixture<TreasuryFixture>
{
    private const long Ton = TreasuryFixture.Ton;

    [Fact]
    public async Task An_expired_unexecuted_batch_is_re_signed_once_proven_dead_and_pays_exactly_once()
    {
        var account = TreasuryFixture.NewAccount();
        await f.Fund(account, 10 * Ton);
        // A first payout deploys the treasury, so the expiry proof below asks the live contract's processed?.
        await f.Withdrawals(account).Withdraw(new WithdrawalRequest(account, Ton, TreasuryFixture.NewDestination(), "deploy"));
        await f.RunUntil(async () => (await f.Withdrawals(account).GetWithdrawal("deploy"))!.Status == PayoutStatus.Confirmed);

        await f.Hooks.SetDelayedInclusionAsync(true);
        try
        {
            var to = TreasuryFixture.NewDestination();
            await f.Withdrawals(account).Withdraw(new WithdrawalRequest(account, 2 * Ton, to, "late"));
            var first = await f.TreasuryGrain.RunOnce();
            Assert.Equal(1, first.BatchesSent);
            var oldQuery = (await f.Withdrawals(account).GetWithdrawal("late"))!.QueryId;
            var resent = await f.TreasuryGrain.RunOnce();
            Assert.Equal(1, resent.BatchesResent);
            Assert.Equal(0, resent.BatchesExpired); // still valid: never re-signed while it could run
            Assert.NotEmpty(await f.Hooks.GetPendingAsync());

            await f.Hooks.AdvanceTimeAsync(TimeSpan.FromSeconds(f.Treasury.Wallet.Timeout + 60));
            var expired = await f.TreasuryGrain.RunOnce();

            Assert.Equal(1, expired.BatchesExpired);
            Assert.Equal(1, expired.BatchesSent);
            var view = (await f.Withdrawals(account).GetWithdrawal("late"))!;
            Assert.Equal(PayoutStatus.Sent, view.Status);
            Assert.NotEqual(oldQuery, view.QueryId);

            var included = await f.Hooks.IncludeAsync();
            Assert.Single(included, m => m.Included); // the old message (and its resend) are refused, the new one runs
            await f.RunUntil(async () => (await f.Withdrawals(account).GetWithdrawal("late"))!.Status == PayoutStatus.Confirmed);
            for (var i = 0; i < 2; i++) await f.TreasuryGrain.RunOnce();
            Assert.Empty(await f.Hooks.GetPendingAsync());
            Assert.Equal(2 * Ton, await f.ChainBalance(to));
        }
        finally
        {
            await f.Hooks.SetDelayedInclusionAsync(false);
        }
        Assert.Equal(7 * Ton, await f.Balance(account));
        Assert.Equal(0, await f.Balance(Accounts.PayoutsInFlight));
        await f.AssertLedgerMatchesChain();
    }
}
