using Cocoon.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Routing;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Grains.Tests;

/// <summary>Each test gets its own cluster: these kill silos or depend on the nodes' load history.</summary>
public sealed class FailoverTests
{
    private static readonly CocoonCluster.SiloSpec[] TwoWorkers = [new(SiloRole.Core), new(SiloRole.Worker, "w1"), new(SiloRole.Worker, "w2")];

    [Fact]
    public async Task Routing_spreads_concurrent_jobs_over_the_least_loaded_nodes()
    {
        // One router answer for all four jobs: a refresh between them would rank by the first job's reported latency
        // (load × latency), which on a slow host sends the later ones to the node that has not answered yet.
        await using var c = await CocoonCluster.StartAsync(TwoWorkers,
            services: s => s.Configure<RouterOptions>(o => o.CandidateCacheTtl = TimeSpan.FromMinutes(5)));
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => c.Run(JobIds.New(), CocoonCluster.Request(model: "echo-slow", maxTokens: 10))));
        var nodes = results.Select(r => r.OfType<JobAccepted>().Single().NodeId).ToArray();
        Assert.Equal(2, nodes.Count(n => n == "w1"));
        Assert.Equal(2, nodes.Count(n => n == "w2"));
    }

    [Fact]
    public async Task A_failing_node_is_retried_elsewhere_and_its_breaker_opens()
    {
        await using var c = await CocoonCluster.StartAsync(TwoWorkers, brokenNodes: ["w1"]);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var attempts = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var id = JobIds.New();
            var events = await c.Run(id, CocoonCluster.Request(model: "flaky"));
            Assert.IsType<JobCompleted>(events[^1]);
            Assert.Equal("w2", events.OfType<JobAccepted>().Last().NodeId);
            attempts.Add((await c.Status(id)).Attempts);
        }
        var breakers = c.Cluster.Silos[0].ServiceProvider.GetRequiredService<CircuitBreakers>();
        Assert.Equal(BreakerState.Open, breakers.State("w1"));
        // Three failures opened the breaker; every job after that went straight to w2.
        Assert.Equal(3, attempts.Count(a => a == 2));
        Assert.All(attempts.Skip(attempts.FindLastIndex(a => a == 2) + 1), a => Assert.Equal(1, a));
    }

    [Fact]
    public async Task A_job_that_fails_on_every_node_names_each_attempt_and_charges_nothing()
    {
        await using var c = await CocoonCluster.StartAsync(TwoWorkers, brokenNodes: ["w1", "w2"]);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;

        var events = await c.Run(JobIds.New(), CocoonCluster.Request(model: "flaky"));

        var failed = Assert.IsType<JobFailed>(events[^1]);
        Assert.Equal(JobFailureCodes.NodeFailed, failed.Code);
        // Both attempts are in the message, each with its node, so an operator sees why the first one failed too.
        Assert.Contains("attempt 1, node w", failed.Message);
        Assert.Contains("attempt 2, node w", failed.Message);
        Assert.Contains("node w1:", failed.Message);
        Assert.Contains("node w2:", failed.Message);
        Assert.Equal(0, failed.CostNano);
        var after = await wallet.GetBalance();
        Assert.Equal(before, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
    }

    [Fact]
    public async Task A_node_silo_killed_before_the_first_token_leaves_jobs_to_the_other_node()
    {
        await using var c = await CocoonCluster.StartAsync(TwoWorkers);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        await c.Cluster.KillSiloAsync(c.SiloHosting("w1"));

        // The router still lists w1 until its heartbeats expire: jobs that try it first fail over to w2.
        // The test client may still try the dead silo's gateway: resubmitting the same job id is safe (no double run or charge).
        async Task<List<JobEvent>> RunRetrying(string id)
        {
            for (var i = 0; ; i++)
            {
                try { return await c.Run(id, CocoonCluster.Request(maxTokens: 4)); }
                catch (Exception e) when (i < 5 && e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException) { await Task.Delay(200); }
            }
        }
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RunRetrying(JobIds.New())));
        var completed = runs.Select(r => Assert.IsType<JobCompleted>(r[^1])).ToArray();
        Assert.All(runs, r => Assert.Equal("w2", r.OfType<JobAccepted>().Single().NodeId));
        Assert.Equal(before - completed.Sum(x => x.CostNano), (await wallet.GetBalance()).BalanceNano);
        await c.WaitForNodes("echo", 1);
    }

    [Fact]
    public async Task A_node_silo_killed_mid_stream_bills_only_the_last_receipt()
    {
        await using var c = await CocoonCluster.StartAsync(TwoWorkers);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        var events = new List<JobEvent>();
        var killed = false;
        var jobId = JobIds.New();
        await foreach (var e in c.Client.GetGrain<IJobGrain>(jobId).Run(CocoonCluster.Signed(jobId, CocoonCluster.Request(model: "echo-slow", maxTokens: 40))))
        {
            events.Add(e);
            if (!killed && events.OfType<JobTokenEvent>().Count() == 6)
            {
                killed = true;
                await c.Cluster.KillSiloAsync(c.SiloHosting(events.OfType<JobAccepted>().Single().NodeId));
            }
        }
        var failed = Assert.IsType<JobFailed>(events[^1]);
        Assert.True(failed.Code == JobFailureCodes.NodeFailed, $"{failed.Code}: {failed.Message}"); // the message says which path ended it
        var receipt = events.OfType<JobUsageEvent>().Last().Receipt;
        Assert.Equal(4, receipt.CompletionTokens); // receipts every 4 tokens: tokens 5-6 were never covered
        var cost = Pricing.Cost(new NetworkParameters(), 1000, receipt.PromptTokens, 0, receipt.CompletionTokens);
        Assert.Equal(cost.ChargeNano, failed.CostNano);
        var after = await wallet.GetBalance();
        Assert.Equal(before - cost.ChargeNano, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
        Assert.Equal(0, await c.LedgerSum(CocoonCluster.SystemAccounts().Append(CocoonCluster.Account)));
    }

    [Fact]
    public async Task A_job_that_timed_out_queued_on_the_only_node_is_tried_there_once_more()
    {
        // One node, one slot, held by an attempt nobody pulls; a job waits in the queue past its 5 s attempt timeout.
        // With no other node to try, the job grain gives the same node one more attempt instead of failing with time
        // left, and that attempt runs once the slot frees.
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "w1")],
            jobs: o => o.AttemptTimeout = TimeSpan.FromSeconds(5), node: n => n.MaxActive = 1);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        var slow = CocoonCluster.Request(model: "echo-slow", maxTokens: 40);
        var holder = c.Internal.GetGrain<INodeGrain>("w1").Execute("slot-holder", slow.AccountId, slow.Metadata, slow.Payload).GetAsyncEnumerator();
        Assert.True(await holder.MoveNextAsync()); // started: it keeps the slot until disposed

        var id = JobIds.New();
        var run = c.Run(id, CocoonCluster.Request(maxTokens: 4));
        await Eventually.True(async () => !run.IsCompleted && (await c.Status(id)).Attempts == 2, TimeSpan.FromSeconds(20), "a second attempt on w1");
        await holder.DisposeAsync();
        var events = await run;

        var completed = Assert.IsType<JobCompleted>(events[^1]);
        Assert.Equal(2, (await c.Status(id)).Attempts);
        Assert.Equal(["w1"], events.OfType<JobAccepted>().Select(a => a.NodeId).Distinct());
        Assert.Equal(4, events.OfType<JobTokenEvent>().Count()); // every token once: the timed-out attempt produced none
        var after = await wallet.GetBalance();
        Assert.Equal(before - completed.CostNano, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
    }

    [Fact]
    public async Task A_node_given_a_job_it_still_holds_replaces_the_earlier_attempt()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "w1")]);
        var node = c.Internal.GetGrain<INodeGrain>("w1");
        var request = CocoonCluster.Request(model: "echo-slow", maxTokens: 40);
        const string jobId = "job-replaced-on-its-node";

        // The earlier attempt streams until the later one arrives; the later one runs to its end.
        await using var earlier = node.Execute(jobId, request.AccountId, request.Metadata, request.Payload).GetAsyncEnumerator();
        Assert.True(await earlier.MoveNextAsync());
        Assert.IsType<NodeJobStarted>(earlier.Current);
        var later = await node.Execute(jobId, request.AccountId, request.Metadata, request.Payload).ToListAsync();
        Assert.IsType<NodeJobFinished>(later[^1]);
        Assert.Equal(40, later.OfType<NodeJobToken>().Count());

        var earlierEvents = new List<NodeJobEvent>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await earlier.MoveNextAsync()) earlierEvents.Add(earlier.Current);
        });
        Assert.DoesNotContain(earlierEvents, e => e is NodeJobFinished);
        Assert.Equal(0, (await node.GetLoad()).Running);
    }
}
