using Cocoon.Payouts;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>Real deposits and payouts reconcile clean; a ledger entry the chain does not back is found and counted.</summary>
public sealed class ReconciliationTests(TreasuryFixture f) : IClassFixture<TreasuryFixture>
{
    private const long Ton = TreasuryFixture.Ton;

    [Fact]
    public async Task Deposits_and_payouts_reconcile_to_the_nanoton()
    {
        var a = TreasuryFixture.NewAccount();
        var b = TreasuryFixture.NewAccount();
        await f.Hooks.FundAsync(f.Deposit.DepositAddress, 4 * Ton, comment: a);
        await f.Hooks.FundAsync(f.Deposit.DepositAddress, 3 * Ton, comment: b);
        await f.Hooks.FundAsync(f.Deposit.DepositAddress, 1 * Ton, comment: "nobody!");
        await f.Watcher.Scan();
        await f.Withdrawals(a).Withdraw(new WithdrawalRequest(a, 1_250_000_000, TreasuryFixture.NewDestination(), "r1"));
        await f.Withdrawals(b).Withdraw(new WithdrawalRequest(b, 2 * Ton, TreasuryFixture.NewDestination(bounceable: true), "r2")); // bounces
        await f.RunUntil(async () => (await f.TreasuryGrain.GetStatus()).OpenPayouts == 0);

        var report = await f.Reconciliation.Run();

        Assert.True(report.Clean, string.Join("\n", report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")
            .Concat(report.Accounts.SelectMany(r => r.Problems.Select(p => $"{r.AccountId}: {p}")))));
        var rowA = Assert.Single(report.Accounts, r => r.AccountId == a);
        Assert.Equal(4 * Ton, rowA.DepositsOnChainNano);
        Assert.Equal(1_250_000_000, rowA.PayoutsPaidOnChainNano);
        var rowB = Assert.Single(report.Accounts, r => r.AccountId == b);
        Assert.Equal(2 * Ton, rowB.PayoutsPaidOnChainNano);
        Assert.InRange(rowB.BouncedBackNano, 1, 2 * Ton - 1);
        Assert.Contains(report.Accounts, r => r.AccountId == Accounts.Suspense && r.DepositsCreditedNano >= Ton);
        Assert.True(report.TransactionsRead >= 5);
        Assert.True(report.Treasury.SurplusNano >= 0);
        Assert.Equal(0, report.Treasury.InFlightNano);
    }
}
