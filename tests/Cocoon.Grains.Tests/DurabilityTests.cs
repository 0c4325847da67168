using Cocoon.Grains.Jobs;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Cocoon.Grains.Tests;

public sealed class DurabilityTests : IDisposable
{
    private static readonly CocoonCluster.SiloSpec[] Layout = [new(SiloRole.Core | SiloRole.Worker, "n1")];
    private readonly string _dir = Directory.CreateTempSubdirectory("cocoon-durability-").FullName;

    [Fact]
    public async Task Ledger_and_finished_jobs_survive_a_restart_on_the_sqlite_store()
    {
        var db = Path.Combine(_dir, "grains.db");
        var id = JobIds.New();
        AccountBalance before;
        List<JobEvent> first;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await c.Fund(CocoonCluster.Account, 5_000_000_000);
            first = await c.Run(id, CocoonCluster.Request(prompt: "durable state here", maxTokens: 6));
            before = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var after = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
            Assert.Equal(before, after);
            var entries = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetEntries(10);
            Assert.Contains(entries, e => e.Kind == LedgerEntryKind.Capture && e.ExternalId == id);

            // The finished job replays from storage and is not run or billed again.
            var replay = await c.Run(id, CocoonCluster.Request(prompt: "durable state here", maxTokens: 6));
            Assert.Equal(first.OfType<JobTokenEvent>().Select(t => t.Token), replay.OfType<JobTokenEvent>().Select(t => t.Token));
            Assert.Equal(after.BalanceNano, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).BalanceNano);
            var status = await c.Status(id);
            Assert.Equal(JobPhase.Completed, status.Phase);
        }
    }

    [Fact]
    public async Task A_deferred_reservation_commits_by_itself_and_a_whole_job_that_deferred_settles_durably()
    {
        var db = Path.Combine(_dir, "deferred.db");
        var id = JobIds.New();
        long cost;
        Dictionary<string, long> balances;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await c.Fund(CocoonCluster.Account, 5_000_000_000);
            var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
            // No later call of the wallet writes it: the hold reaches the store by itself.
            await wallet.Reserve("held-job", 700, DateTimeOffset.UtcNow.AddMinutes(5),
                new ReservationAdmission(10, new Cocoon.Registry.AccountLimits(), null, DeferCommit: true));
            var storage = Store(c);
            var row = new GrainState<Wallets.WalletState>();
            await Eventually.True(async () =>
            {
                await storage.ReadStateAsync("wallet", wallet.GetGrainId(), row);
                return row.State?.Reservations.ContainsKey("held-job") == true;
            }, TimeSpan.FromSeconds(10), "the deferred reservation commits");

            // A job answered in one call defers its reservation; its settlement commits it with the capture.
            var events = await c.Client.GetGrain<IJobGrain>(id).Complete(CocoonCluster.Signed(id, CocoonCluster.Request(prompt: "whole and durable", maxTokens: 6)));
            cost = Assert.IsType<JobCompleted>(events[^1]).CostNano;
            Assert.True(cost > 0);
            await c.SharesDelivered(CocoonCluster.Account);
            balances = await Balances(c);
            Assert.Equal(0, await c.LedgerSum(CocoonCluster.SystemAccounts().Append(CocoonCluster.Account)));
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            Assert.Equal(balances, await Balances(c));
            var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
            Assert.Equal(700, (await wallet.GetBalance()).ReservedNano);
            var entries = await wallet.GetEntries(20);
            Assert.Contains(entries, e => e.Kind == LedgerEntryKind.Reserve && e.ExternalId == id);
            Assert.Equal(-cost, Assert.Single(entries, e => e.Kind == LedgerEntryKind.Capture && e.ExternalId == id).AmountNano);
            Assert.Equal(cost, (await c.Status(id)).CostNano);
        }
    }

    [Fact]
    public async Task A_job_whose_settlement_record_was_lost_settles_again_and_moves_no_money_twice()
    {
        // Every transfer of a settlement is durable and idempotent by job id before the job's row records it. Here that
        // row is lost (put back as it was before settling, as a crash between the transfers and the row would leave
        // it); the next activation settles again.
        var db = Path.Combine(_dir, "lost.db");
        var id = JobIds.New();
        long cost;
        Dictionary<string, long> balances;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            cost = await RunPaidJob(c, id);
            Assert.Equal(cost, (await c.Status(id)).CostNano);

            await ForgetSettlement(c, id);
            balances = await Balances(c);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var status = await c.Status(id);
            Assert.Equal(JobPhase.Completed, status.Phase);
            Assert.Equal(cost, status.CostNano);
            Assert.Equal(balances, await Balances(c));
            var captures = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetEntries(50))
                .Count(e => e.Kind == LedgerEntryKind.Capture && e.ExternalId == id);
            Assert.Equal(1, captures);
            var earned = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(50))
                .Count(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id);
            Assert.Equal(1, earned);
        }
    }

    [Fact]
    public async Task A_settlement_finished_again_after_the_worker_wallet_forgot_the_job_pays_nothing_twice_and_books_nothing_to_suspense()
    {
        // The lost settlement row again, and the node owner's wallet has moved 4,200 operations on and restarted: it no
        // longer knows whether it was paid for the job. The client's wallet still knows its settlement, whose shares it
        // queued in the commit that captured, so the job sends nothing again: nothing is paid twice, nothing is in doubt.
        var db = Path.Combine(_dir, "forgotten.db");
        var id = JobIds.New();
        long cost, ownerBefore, suspenseBefore, clientBefore;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            cost = await RunPaidJob(c, id);
            var owner = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner);
            Assert.True((await owner.GetEntries(20)).Single(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id).AmountNano > 0);

            Assert.NotNull((await ForgetSettlement(c, id)).EndedAt);

            await Task.Delay(Wallets.WalletGrain.ClockSkewAllowance * 2); // the owner's pages below are written well after the job ended
            await MoveWindowOn(owner);
            ownerBefore = (await owner.GetBalance()).BalanceNano;
            suspenseBefore = (await c.Internal.GetGrain<IWalletGrain>(Accounts.Suspense).GetBalance()).BalanceNano;
            clientBefore = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).BalanceNano;
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var status = await c.Status(id); // activates the job, which settles again
            Assert.Equal(JobPhase.Completed, status.Phase);
            Assert.Equal(cost, status.CostNano);
            var client = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
            Assert.Equal((clientBefore, 0L), (client.BalanceNano, client.OwedNano));
            Assert.Equal(ownerBefore, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetBalance()).BalanceNano);
            Assert.Equal(suspenseBefore, (await c.Internal.GetGrain<IWalletGrain>(Accounts.Suspense).GetBalance()).BalanceNano);
        }
    }

    [Fact]
    public async Task A_job_stored_by_an_earlier_build_settles_again_the_old_way_and_moves_no_money_twice()
    {
        // A row without SettlesInWallet, as builds before the wallet settled jobs wrote it: the job captures and sends
        // the credits itself, the commission to the shard of its job id as those builds chose it. Every step finds the
        // first settlement's key. (The first settlement here is this build's, whose shard follows the account: the id
        // is picked so that both choose the same shard, as a settlement of an earlier build would have.)
        var db = Path.Combine(_dir, "legacy.db");
        var id = JobIds.New();
        while (JobGrain.StableShard(id, 16) != JobGrain.StableShard(CocoonCluster.Account, 16)) id = JobIds.New();
        long cost;
        Dictionary<string, long> balances;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            cost = await RunPaidJob(c, id);
            await ForgetSettlement(c, id, legacy: true);
            balances = await Balances(c);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var status = await c.Status(id);
            Assert.Equal((JobPhase.Completed, cost), (status.Phase, status.CostNano));
            Assert.Equal(balances, await Balances(c));
            Assert.Equal(1, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(50)).Count(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id));
        }
    }

    [Fact]
    public async Task Shares_owed_by_a_wallet_that_stopped_before_recording_their_delivery_are_sent_again_and_applied_once()
    {
        // A crash after the worker's wallet applied the share and before the client's wallet recorded that leaves the
        // share owed in the client's row. Its next activation sends it again; the worker's wallet knows it and applies
        // nothing more.
        var db = Path.Combine(_dir, "redeliver.db");
        var id = JobIds.New();
        Dictionary<string, long> balances;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await RunPaidJob(c, id);
            await OweAgain(c, id);
            balances = await Balances(c);
            balances[CocoonCluster.Owner] = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetBalance()).BalanceNano;
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var owed = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).OwedNano; // activates it
            Assert.True(owed > 0);
            await c.SharesDelivered(CocoonCluster.Account);
            var after = await Balances(c);
            after[CocoonCluster.Owner] = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetBalance()).BalanceNano;
            Assert.Equal(balances, after);
            Assert.Equal(1, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(50)).Count(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id));
        }
    }

    [Fact]
    public async Task Shares_still_owed_when_the_last_silo_stops_stay_in_the_wallets_row_and_go_out_at_its_next_activation()
    {
        // The silo stops while a settled share waits for company (here ten minutes). The wallet tries to send it as it
        // deactivates, but the last silo stopping cannot host the receivers any more: the share stays owed in the
        // stored row, and the wallet's next activation sends it.
        var db = Path.Combine(_dir, "stop-owing.db");
        const string payer = "stopping-payer";
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db, jobs: o => o.SettlementShareDelay = TimeSpan.FromMinutes(10)))
        {
            var wallet = c.Internal.GetGrain<IWalletGrain>(payer);
            await wallet.Credit("fund", LedgerEntryKind.Deposit, 10_000, Accounts.Faucet, "test funds");
            await wallet.Reserve("job-stop", 1_000, DateTimeOffset.UtcNow.AddMinutes(5));
            await wallet.Settle("job-stop", 800, DateTimeOffset.UtcNow, new SettlementShares("stopping-worker", 600, Accounts.Commission(1), "job"));
            Assert.Equal(800, (await wallet.GetBalance()).OwedNano);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var storage = Store(c);
            var row = new GrainState<Wallets.WalletState>();
            await storage.ReadStateAsync("wallet", c.Internal.GetGrain<IWalletGrain>(payer).GetGrainId(), row);
            Assert.Equal(800, Assert.IsType<Wallets.WalletState>(row.State).PendingCredits.Sum(p => p.AmountNano));
            Assert.Equal(0, (await c.Internal.GetGrain<IWalletGrain>("stopping-worker").GetBalance()).BalanceNano);

            Assert.Equal(9_200, (await c.Internal.GetGrain<IWalletGrain>(payer).GetBalance()).BalanceNano); // activates it
            await c.SharesDelivered(payer);
            Assert.Equal(600, (await c.Internal.GetGrain<IWalletGrain>("stopping-worker").GetBalance()).BalanceNano);
            Assert.Equal(200, (await c.Internal.GetGrain<IWalletGrain>(Accounts.Commission(1)).GetBalance()).BalanceNano);
        }
    }

    [Fact]
    public async Task A_share_sent_again_after_its_wallet_forgot_it_is_booked_to_suspense_and_not_paid_twice()
    {
        // As above, but the worker's wallet moves 4,200 operations on before the share comes again: it can no longer
        // tell whether it was paid, so it applies nothing, and the client's wallet books the share to suspense.
        var db = Path.Combine(_dir, "redeliver-forgotten.db");
        var id = JobIds.New();
        long ownerBefore, suspenseBefore, earned;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await RunPaidJob(c, id);
            earned = await OweAgain(c, id);
            await Task.Delay(Wallets.WalletGrain.ClockSkewAllowance * 2);
            var owner = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner);
            await MoveWindowOn(owner);
            ownerBefore = (await owner.GetBalance()).BalanceNano;
            suspenseBefore = (await c.Internal.GetGrain<IWalletGrain>(Accounts.Suspense).GetBalance()).BalanceNano;
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance(); // activates it
            await c.SharesDelivered(CocoonCluster.Account);
            Assert.Equal(ownerBefore, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetBalance()).BalanceNano);
            var suspense = c.Internal.GetGrain<IWalletGrain>(Accounts.Suspense);
            Assert.Equal(suspenseBefore + earned, (await suspense.GetBalance()).BalanceNano);
            var booked = Assert.Single(await suspense.GetEntries(10), e => e.ExternalId == $"{id}/{CocoonCluster.Owner}");
            Assert.Equal((LedgerEntryKind.Earn, earned, CocoonCluster.Account), (booked.Kind, booked.AmountNano, booked.Counterparty));
        }
    }

    [Fact]
    public async Task A_settlement_finished_after_the_client_wallet_forgot_its_capture_reports_the_cost_and_charges_once()
    {
        // The lost settlement row again, and the client's wallet moves 4,200 operations on and restarts: it no longer
        // knows what it captured. The job settles with the amount its receipt costs; nothing is charged or paid twice.
        var db = Path.Combine(_dir, "forgotten-capture.db");
        var id = JobIds.New();
        long cost;
        Dictionary<string, long> balances;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            cost = await RunPaidJob(c, id);
            await ForgetSettlement(c, id);

            await Task.Delay(Wallets.WalletGrain.ClockSkewAllowance * 2); // the client's pages below are written well after the job ended
            var client = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
            await MoveWindowOn(client);
            balances = await Balances(c);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var status = await c.Status(id); // activates the job, which settles again
            Assert.Equal(JobPhase.Completed, status.Phase);
            Assert.Equal(cost, status.CostNano); // before: 0, the forgotten capture read as "nothing captured"
            Assert.Equal(balances, await Balances(c));
            var earned = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(50))
                .Count(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id);
            Assert.Equal(1, earned);
        }
    }

    /// <summary>Funds the test account and runs one echo job to its end; returns what it cost.</summary>
    private static async Task<long> RunPaidJob(CocoonCluster c, string id)
    {
        await c.Fund(CocoonCluster.Account, 5_000_000_000);
        var events = await c.Run(id, CocoonCluster.Request(prompt: "settle me once", maxTokens: 6));
        var cost = Assert.IsType<JobCompleted>(events[^1]).CostNano;
        Assert.True(cost > 0);
        return cost;
    }

    /// <summary>4,200 more operations on the wallet: its idempotency window (4,096 keys) moves past all before them.</summary>
    private static async Task MoveWindowOn(IWalletGrain wallet)
    {
        for (var i = 0; i < 4_200; i += 300)
            await Task.WhenAll(Enumerable.Range(i, 300).Select(k => wallet.Credit($"fill{k}", LedgerEntryKind.Deposit, 1, "test", "")));
    }

    /// <summary>
    /// Puts the job's stored row back as it was before it settled, as a crash between settlement's transfers and the
    /// row that records them would leave it; returns the row as stored.
    /// </summary>
    private static async Task<JobState> ForgetSettlement(CocoonCluster c, string id, bool legacy = false)
    {
        var storage = Store(c);
        var grainId = c.Internal.GetGrain<IJobGrain>(id).GetGrainId();
        var row = new GrainState<JobState>();
        await Eventually.True(async () =>
        {
            await storage.ReadStateAsync("job", grainId, row);
            return row.State?.Settled == true;
        }, TimeSpan.FromSeconds(10), "the settlement is recorded");
        row.State!.Settled = false;
        if (legacy) row.State.SettlesInWallet = false;
        row.State.CostNano = 0;
        row.State.Final = Assert.IsType<JobCompleted>(row.State.Final) with { CostNano = 0 };
        await storage.WriteStateAsync("job", grainId, row);
        return row.State;
    }

    /// <summary>
    /// Puts the worker's share of the job back among the shares the client's wallet owes, as a crash between the
    /// worker's commit and the client's record of it would leave that wallet's row; returns the share's amount.
    /// </summary>
    private static async Task<long> OweAgain(CocoonCluster c, string id)
    {
        var earn = (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(20)).Single(e => e.Kind == LedgerEntryKind.Earn && e.ExternalId == id);
        var storage = Store(c);
        var grainId = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetGrainId();
        var row = new GrainState<Wallets.WalletState>();
        await storage.ReadStateAsync("wallet", grainId, row);
        Assert.Empty(Assert.IsType<Wallets.WalletState>(row.State).PendingCredits);
        row.State.PendingCredits.Add(new SettlementCredit(id, CocoonCluster.Owner, LedgerEntryKind.Earn, earn.AmountNano, earn.Memo, earn.At.AddMilliseconds(-1)));
        await storage.WriteStateAsync("wallet", grainId, row);
        return earn.AmountNano;
    }

    /// <summary>The grain store of the cluster's silo, to read and rewrite rows as a crash would have left them.</summary>
    private static IGrainStorage Store(CocoonCluster c) =>
        c.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CocoonStorage.Name);

    private static async Task<Dictionary<string, long>> Balances(CocoonCluster c)
    {
        var accounts = CocoonCluster.SystemAccounts().Append(CocoonCluster.Account);
        var balances = new Dictionary<string, long>();
        foreach (var account in accounts)
            balances[account] = (await c.Internal.GetGrain<IWalletGrain>(account).GetBalance()).BalanceNano;
        return balances;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
