using Cocoon.Payouts;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>
/// A few hundred random deposits (some to no account), jobs (reserve, capture, worker earnings, commission) and
/// payouts (some bounced) on the dev chain, with sweeps along the way: chain and ledger must agree to the nanoTON.
/// </summary>
public sealed class RandomizedLedgerTests(TreasuryFixture f) : IClassFixture<TreasuryFixture>
{
    private const long Ton = TreasuryFixture.Ton;

    [Fact]
    public async Task Random_deposits_jobs_and_payouts_keep_chain_and_ledger_equal_to_the_nanoton()
    {
        var random = new Random(20261124);
        var clients = Enumerable.Range(0, 6).Select(_ => TreasuryFixture.NewAccount()).ToArray();
        var owners = Enumerable.Range(0, 2).Select(_ => TreasuryFixture.NewAccount()).ToArray();
        var commission = Accounts.Commission(0);
        var paid = new List<(string Account, string RequestId, string Destination)>();
        foreach (var c in clients) await f.Hooks.FundAsync(f.Deposit.DepositAddress, 2 * Ton, comment: c);
        await f.Watcher.Scan();

        for (var op = 0; op < 300; op++)
        {
            var roll = random.Next(100);
            if (roll < 30)
            {
                var amount = random.NextInt64(Ton / 10, 3 * Ton);
                var comment = random.Next(20) == 0 ? "no such account!" : clients[random.Next(clients.Length)];
                await f.Hooks.FundAsync(f.Deposit.DepositAddress, amount, comment: comment);
            }
            else if (roll < 65)
            {
                var client = clients[random.Next(clients.Length)];
                var available = (await f.Internal.GetGrain<IWalletGrain>(client).GetBalance()).AvailableNano;
                if (available < 1000) continue;
                var cost = random.NextInt64(1, Math.Min(available, 50_000_000));
                var job = $"job-{op}";
                var worker = cost * 7 / 10;
                var owner = owners[random.Next(owners.Length)];
                await f.Internal.GetGrain<IWalletGrain>(client).Reserve(job, Math.Min(available, cost * 2), DateTimeOffset.UtcNow.AddHours(1));
                var captured = await f.Internal.GetGrain<IWalletGrain>(client).Capture(job, cost, owner);
                Assert.Equal(cost, captured);
                await f.Internal.GetGrain<IWalletGrain>(owner).Credit(job, LedgerEntryKind.Earn, worker, client, "job");
                if (cost - worker > 0) await f.Internal.GetGrain<IWalletGrain>(commission).Credit(job, LedgerEntryKind.Commission, cost - worker, client, "job");
            }
            else if (roll < 92)
            {
                var account = random.Next(4) == 0 ? owners[random.Next(owners.Length)] : clients[random.Next(clients.Length)];
                var available = (await f.Internal.GetGrain<IWalletGrain>(account).GetBalance()).AvailableNano;
                if (available < 40_000_000) continue;
                var amount = random.NextInt64(10_000_000, available / 2);
                var to = TreasuryFixture.NewDestination(bounceable: random.Next(5) == 0);
                var requestId = $"r-{op}";
                await f.Withdrawals(account).Withdraw(new WithdrawalRequest(account, amount, to, requestId));
                paid.Add((account, requestId, to));
            }
            else
            {
                await f.Watcher.Scan();
                await f.TreasuryGrain.RunOnce();
            }
        }

        await f.Watcher.Scan();
        await f.RunUntil(async () => (await f.TreasuryGrain.GetStatus()).OpenPayouts == 0, maxCycles: 30);
        await f.AssertLedgerMatchesChain();

        // The ledger is closed: every nanoTON sits in some account.
        string[] system = [Accounts.Chain, Accounts.NetworkFee, Accounts.Suspense, Accounts.PayoutsInFlight, Accounts.Operator, Accounts.Faucet, commission];
        long sum = 0;
        foreach (var a in clients.Concat(owners).Concat(system)) sum += await f.Balance(a);
        Assert.Equal(0, sum);
        Assert.Equal(0, await f.Balance(Accounts.PayoutsInFlight));

        // Each confirmed payout is on chain exactly; each bounced one left nothing at its destination.
        Assert.True(paid.Count > 50, $"only {paid.Count} payouts were made");
        long confirmed = 0, onChain = 0;
        foreach (var (account, requestId, to) in paid)
        {
            var view = (await f.Withdrawals(account).GetWithdrawal(requestId))!;
            Assert.True(view.Status is PayoutStatus.Confirmed or PayoutStatus.Bounced, $"payout {view.PayoutId} is {view.Status}");
            if (view.Status == PayoutStatus.Confirmed) confirmed += view.AmountNano;
            onChain += await f.ChainBalance(to);
        }
        Assert.Equal(confirmed, onChain);

        var report = await f.Reconciliation.Run();
        Assert.True(report.Clean, string.Join("\n", report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")
            .Concat(report.Accounts.SelectMany(r => r.Problems.Select(p => $"{r.AccountId}: {p}")))));
    }
}
