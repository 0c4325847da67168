using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests;

/// <summary>
/// A job's settlement in the paying wallet: one commit captures and queues the worker's and the commission's shares,
/// which the wallet then delivers; repeats capture and queue nothing more (docs/operations.md, "Settlement").
/// </summary>
public sealed class SettlementTests
{
    private static readonly CocoonCluster.SiloSpec[] Layout = [new(SiloRole.Core | SiloRole.Worker, "n1")];
    private static readonly string Commission = Accounts.Commission(3);

    [Fact]
    public async Task Settling_captures_and_queues_both_shares_and_each_is_credited_once_by_the_paying_wallet()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var payer = await Funded(c, "settle-payer");
        var worker = c.Internal.GetGrain<IWalletGrain>("settle-worker");
        var commissionBefore = (await c.Internal.GetGrain<IWalletGrain>(Commission).GetBalance()).BalanceNano;
        await payer.Reserve("job-1", 1_000, DateTimeOffset.UtcNow.AddMinutes(5));
        var shares = new SettlementShares("settle-worker", 600, Commission, "job on node n1");

        Assert.Equal(new Settlement(800, SharesQueued: true), await payer.Settle("job-1", 800, DateTimeOffset.UtcNow, shares));
        var balance = await payer.GetBalance();
        Assert.Equal((10_000 - 800L, 0L), (balance.BalanceNano, balance.ReservedNano));
        Assert.True(balance.OwedNano is 0 or 800, $"owed {balance.OwedNano}"); // 800 until the shares are confirmed
        await c.SharesDelivered("settle-payer");
        Assert.Equal(600, (await worker.GetBalance()).BalanceNano);
        Assert.Equal(commissionBefore + 200, (await c.Internal.GetGrain<IWalletGrain>(Commission).GetBalance()).BalanceNano);
        var earn = Assert.Single(await worker.GetEntries(10));
        Assert.Equal((LedgerEntryKind.Earn, "job-1", 600L, "settle-payer", "job on node n1"), (earn.Kind, earn.ExternalId, earn.AmountNano, earn.Counterparty, earn.Memo));

        // Repeats (a job settling again after a crash, the earlier capture call) capture and queue nothing more.
        Assert.Equal(new Settlement(800, SharesQueued: true), await payer.Settle("job-1", 800, DateTimeOffset.UtcNow, shares));
        Assert.Equal(800, await payer.Capture("job-1", 800, "settle-worker"));
        await payer.Reserve("job-1", 1_000, DateTimeOffset.UtcNow.AddMinutes(5)); // a settled job reserves nothing again
        balance = await payer.GetBalance();
        Assert.Equal((10_000 - 800L, 0L, 0L), (balance.BalanceNano, balance.ReservedNano, balance.OwedNano));
        Assert.Single(await worker.GetEntries(10));
    }

    [Fact]
    public async Task Many_settlements_at_once_reach_the_worker_once_each_and_conserve_every_nanoton()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var payer = await Funded(c, "busy-payer");
        const int jobs = 300;
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(i => payer.Reserve($"job-{i}", 20, DateTimeOffset.UtcNow.AddMinutes(5))));
        var shares = new SettlementShares("busy-worker", 15, Commission, "job");
        var settled = await Task.WhenAll(Enumerable.Range(0, jobs).Select(i => payer.Settle($"job-{i}", 20, DateTimeOffset.UtcNow, shares)));
        Assert.All(settled, s => Assert.Equal(new Settlement(20, true), s));
        await c.SharesDelivered("busy-payer");
        var entries = await c.Internal.GetGrain<IWalletGrain>("busy-worker").GetEntries(1_000);
        Assert.Equal(jobs, entries.Select(e => e.ExternalId).Distinct().Count());
        Assert.Equal(jobs * 15L, (await c.Internal.GetGrain<IWalletGrain>("busy-worker").GetBalance()).BalanceNano);
        Assert.Equal(10_000 - jobs * 20L, (await payer.GetBalance()).BalanceNano);
    }

    [Fact]
    public async Task A_worker_share_above_the_capture_is_cut_to_it_and_a_capture_made_without_shares_leaves_them_to_the_job()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var payer = await Funded(c, "cut-payer");
        await payer.Reserve("job-2", 500, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(new Settlement(500, true), await payer.Settle("job-2", 900, DateTimeOffset.UtcNow, new SettlementShares("cut-worker", 700, Commission, "job")));
        await c.SharesDelivered("cut-payer");
        Assert.Equal(500, (await c.Internal.GetGrain<IWalletGrain>("cut-worker").GetBalance()).BalanceNano);

        // A capture by a build before Settle existed queued no shares: the job must still send them.
        await payer.Reserve("job-3", 500, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(300, await payer.Capture("job-3", 300, "cut-worker"));
        Assert.Equal(new Settlement(300, SharesQueued: false), await payer.Settle("job-3", 300, DateTimeOffset.UtcNow, new SettlementShares("cut-worker", 200, Commission, "job")));
        Assert.Equal(0, (await payer.GetBalance()).OwedNano);

        // A job that never reserved here has nothing to capture and nothing to share.
        Assert.Equal(new Settlement(0, true), await payer.Settle("job-never", 300, DateTimeOffset.UtcNow, new SettlementShares("cut-worker", 200, Commission, "job")));
    }

    [Fact]
    public async Task A_deferred_reservation_holds_the_funds_at_once_and_a_lost_one_is_captured_from_the_available_balance_once()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var payer = await Funded(c, "defer-payer");
        var commissionBefore = (await c.Internal.GetGrain<IWalletGrain>(Commission).GetBalance()).BalanceNano;
        var defer = new ReservationAdmission(10, new AccountLimits(), null, DeferCommit: true);
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        // Held as soon as the call returns, before it commits: a reservation needing more than is left is refused.
        await payer.Reserve("job-d1", 6_000, expires, defer);
        await Assert.ThrowsAsync<InsufficientFundsException>(() => payer.Reserve("job-d2", 5_000, expires, defer));
        var balance = await payer.GetBalance();
        Assert.Equal((10_000L, 6_000L), (balance.BalanceNano, balance.ReservedNano));
        var shares = new SettlementShares("defer-worker", 3_000, Commission, "job", ReservationDeferred: true);
        Assert.Equal(new Settlement(4_000, true), await payer.Settle("job-d1", 4_000, DateTimeOffset.UtcNow, shares));

        // job-d3's hold was lost before it committed (its wallet's silo died), and another job holds 5,000 of the
        // 6,000 left: the settlement takes what is available, never below zero, and a repeat takes nothing more.
        await payer.Reserve("job-d4", 5_000, expires, defer);
        Assert.Equal(new Settlement(1_000, true), await payer.Settle("job-d3", 2_500, DateTimeOffset.UtcNow, shares));
        Assert.Equal(new Settlement(1_000, true), await payer.Settle("job-d3", 2_500, DateTimeOffset.UtcNow, shares));
        // A job that did not defer its reservation and has none here still captures nothing.
        Assert.Equal(new Settlement(0, true), await payer.Settle("job-d5", 300, DateTimeOffset.UtcNow, shares with { ReservationDeferred = false }));

        await c.SharesDelivered("defer-payer");
        balance = await payer.GetBalance();
        Assert.Equal((5_000L, 5_000L), (balance.BalanceNano, balance.ReservedNano));
        Assert.Equal(3_000 + 1_000, (await c.Internal.GetGrain<IWalletGrain>("defer-worker").GetBalance()).BalanceNano);
        Assert.Equal(commissionBefore + 1_000, (await c.Internal.GetGrain<IWalletGrain>(Commission).GetBalance()).BalanceNano);
        var entries = await payer.GetEntries(20);
        Assert.Equal(-1_000, Assert.Single(entries, e => e.Kind == LedgerEntryKind.Capture && e.ExternalId == "job-d3").AmountNano);
    }

    [Fact]
    public async Task A_job_whose_capture_an_earlier_build_made_sends_the_shares_itself_to_the_job_id_shard()
    {
        // The wallet already holds a capture for the job id made by the plain Capture call, as a build before Settle
        // existed made it, with no shares queued. The job then settles: the wallet reports that capture without shares,
        // and the job sends them itself, to the commission shard those builds chose by job id. Nothing is lost.
        await using var c = await CocoonCluster.StartAsync(Layout);
        await c.Fund(CocoonCluster.Account, 1_000_000_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var id = JobIds.New();
        await wallet.Reserve(id, 50_000, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(20_000, await wallet.Capture(id, 20_000, CocoonCluster.Owner)); // more than the job will cost: some of it is commission

        var events = await c.Run(id, CocoonCluster.Request());
        Assert.Equal(20_000, Assert.IsType<JobCompleted>(events[^1]).CostNano);
        var earned = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(20)).Single(e => e.ExternalId == id && e.Kind == LedgerEntryKind.Earn).AmountNano;
        var shard = Accounts.Commission(Jobs.JobGrain.StableShard(id, 16));
        var commission = (await c.Internal.GetGrain<IWalletGrain>(shard).GetEntries(20)).Single(e => e.ExternalId == id && e.Kind == LedgerEntryKind.Commission).AmountNano;
        Assert.Equal(20_000, earned + commission);
        Assert.Equal(0, await c.LedgerSum(CocoonCluster.SystemAccounts().Append(CocoonCluster.Account)));
    }

    [Fact]
    public async Task A_settlement_naming_an_invalid_account_is_refused_and_changes_nothing()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var payer = await Funded(c, "strict-payer");
        await payer.Reserve("job-4", 1_000, DateTimeOffset.UtcNow.AddMinutes(5));
        var before = await payer.GetBalance();
        await Assert.ThrowsAsync<InvalidJobException>(() => payer.Settle("job-4", 800, DateTimeOffset.UtcNow, new SettlementShares("", 600, Commission, "job")));
        await Assert.ThrowsAsync<InvalidJobException>(() => payer.Settle("job-4", 800, DateTimeOffset.UtcNow, new SettlementShares("w", 600, "bad account!", "job")));
        await Assert.ThrowsAsync<InvalidJobException>(() => payer.Settle("job-4", -1, DateTimeOffset.UtcNow, new SettlementShares("w", 600, Commission, "job")));
        Assert.Equal(before, await payer.GetBalance());
        Assert.Equal(800, (await payer.Settle("job-4", 800, DateTimeOffset.UtcNow, new SettlementShares("strict-worker", 600, Commission, "job"))).CapturedNano);
    }

    [Fact]
    public async Task A_wallet_applies_a_share_once_and_refuses_one_addressed_to_another_account()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var receiver = c.Internal.GetGrain<IWalletGrain>("share-receiver");
        var share = new SettlementCredit("job-a", "share-receiver", LedgerEntryKind.Earn, 100, "job", DateTimeOffset.UtcNow);
        Assert.Equal(new[] { true, true }, await receiver.CreditShares("payer-x", [share, share]));
        Assert.Equal(new[] { true }, await receiver.CreditShares("payer-x", [share]));
        Assert.Equal(100, (await receiver.GetBalance()).BalanceNano);
        await Assert.ThrowsAsync<InvalidJobException>(() => receiver.CreditShares("payer-x", [share with { JobId = "job-b", Account = "someone-else" }]));
        await Assert.ThrowsAsync<InvalidJobException>(() => receiver.CreditShares("payer-x", [share with { JobId = "job-c", AmountNano = 0 }]));
        Assert.Equal(100, (await receiver.GetBalance()).BalanceNano);
    }

    private static async Task<IWalletGrain> Funded(CocoonCluster c, string account)
    {
        var wallet = c.Internal.GetGrain<IWalletGrain>(account);
        await wallet.Credit("fund", LedgerEntryKind.Deposit, 10_000, Accounts.Faucet, "test funds");
        return wallet;
    }
}
