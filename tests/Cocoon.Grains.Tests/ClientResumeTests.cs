using Cocoon.Client;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cocoon.Grains.Tests;

/// <summary>
/// The client library (<see cref="CocoonClient"/>) over an in-process cluster: resuming a job that broke mid-stream
/// without billing a token twice, and cancellation and deadlines reaching the node.
/// </summary>
public sealed class ClientResumeTests
{
    private static CocoonClient ClientOf(CocoonCluster c, TimeSpan? defaultTimeout = null) => new(
        c.Client,
        new CocoonConnection(Path.GetTempPath(), [], "test", "cocoon", CocoonCluster.Account)
        {
            Keys = new Dictionary<string, Cocoon.Security.AccountKey> { [CocoonCluster.Account] = TestAccounts.Default },
        },
        Options.Create(new CocoonClientOptions { DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(30) }),
        new PlaintextPayloadSealer(),
        TimeProvider.System);

    /// <summary>A fresh job id whose grain activates on <paramref name="silo"/> (reading its status activates it).</summary>
    private static async Task<string> JobIdLivingOn(CocoonCluster c, Orleans.TestingHost.SiloHandle silo)
    {
        var management = c.Client.GetGrain<IManagementGrain>(0);
        string jobId;
        do
        {
            jobId = JobIds.New();
            await c.Status(jobId);
        }
        while (await management.GetActivationAddress(c.Client.GetGrain<IJobGrain>(jobId)) != silo.SiloAddress);
        return jobId;
    }

    /// <summary>Streams an echo-slow job and runs <paramref name="kill"/> once its third token arrives; every event is kept.</summary>
    private static async Task<List<CocoonJobEvent>> RunKillingAfterThreeTokens(CocoonClient client, string jobId, int maxTokens, Func<Task> kill)
    {
        var events = new List<CocoonJobEvent>();
        var killed = false;
        await foreach (var e in client.RunAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "alpha beta gamma", MaxTokens = maxTokens, JobId = jobId }))
        {
            events.Add(e);
            if (!killed && events.OfType<CocoonJobToken>().Count() == 3)
            {
                killed = true;
                await kill();
            }
        }
        return events;
    }

    private static async Task<long> Balance(CocoonCluster c) =>
        (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).BalanceNano;

    [Fact]
    public async Task A_node_dying_mid_stream_resumes_on_another_node_with_the_text_so_far_and_bills_each_job_once()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "w1"), new(SiloRole.Worker, "w2")]);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var before = await Balance(c);
        var client = ClientOf(c);
        var jobId = JobIds.New();
        var events = new List<CocoonJobEvent>();
        var killed = false;
        await foreach (var e in client.RunAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "alpha beta gamma", MaxTokens = 20, JobId = jobId }))
        {
            events.Add(e);
            if (!killed && events.OfType<CocoonJobToken>().Count() == 6)
            {
                killed = true;
                await c.Cluster.KillSiloAsync(c.SiloHosting(events.OfType<CocoonJobAccepted>().First().NodeId));
            }
        }

        var resumed = Assert.Single(events.OfType<CocoonJobResumed>());
        Assert.Equal(jobId, resumed.FailedJobId);
        Assert.Equal(jobId + ".r1", resumed.ContinuationJobId);
        var completed = Assert.IsType<CocoonJobCompleted>(events[^1]);
        Assert.Equal(jobId, completed.JobId);

        // The caller sees one stream: every token asked for, numbered without gaps or repeats.
        var tokens = events.OfType<CocoonJobToken>().ToList();
        Assert.Equal(20, tokens.Count);
        Assert.Equal(Enumerable.Range(0, 20), tokens.Select(t => t.Index));
        Assert.Equal(resumed.DeliveredTokens, events.TakeWhile(e => e is not CocoonJobResumed).OfType<CocoonJobToken>().Count());
        Assert.Equal(20 - resumed.DeliveredTokens, resumed.RemainingMaxTokens);
        // The continuation ran on the surviving node, prompted with the original prompt plus the text so far: the echo
        // model repeats that prompt, whose third word joins the prompt's last word and the output's first.
        var accepted = events.OfType<CocoonJobAccepted>().ToList();
        Assert.Equal(jobId + ".r1", accepted[^1].JobId);
        Assert.NotEqual(accepted[0].NodeId, accepted[^1].NodeId);
        var continuationText = string.Concat(events.SkipWhile(e => e is not CocoonJobResumed).OfType<CocoonJobToken>().Select(t => t.Text));
        Assert.StartsWith("alpha beta gammaalpha", continuationText);

        // Each job settled once from its own last receipt; the sum is what the caller was told and what the wallet lost.
        var first = await client.GetJobAsync(jobId);
        var second = await client.GetJobAsync(jobId + ".r1");
        Assert.Equal(JobPhase.Failed, first.Phase);
        Assert.Equal(JobPhase.Completed, second.Phase);
        Assert.Equal(4, first.CompletionTokens); // receipts every 4 tokens: tokens after the 4th were delivered, never billed
        Assert.Equal(Pricing.Cost(new NetworkParameters(), 1000, 3, 0, 4).ChargeNano, first.CostNano);
        Assert.Equal(resumed.BilledNano, first.CostNano);
        Assert.Equal(20 - resumed.DeliveredTokens, second.CompletionTokens);
        Assert.Equal(first.CostNano + second.CostNano, completed.CostNano);
        Assert.Equal(first.CompletionTokens + second.CompletionTokens, completed.CompletionTokens);
        Assert.Equal(before - completed.CostNano, await Balance(c));
        Assert.Equal(0, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).ReservedNano);

        // Running the same job id again replays both jobs: the same text, nothing billed again.
        var replay = await client.CompleteAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "alpha beta gamma", MaxTokens = 20, JobId = jobId });
        Assert.Equal(string.Concat(tokens.Select(t => t.Text)), replay.Text);
        Assert.Equal(completed.CostNano, replay.CostNano);
        Assert.Equal(before - completed.CostNano, await Balance(c));
    }

    [Fact]
    public async Task A_short_job_runs_as_one_call_and_a_node_dying_under_it_retries_it_whole_on_another_node_billed_once()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "w1"), new(SiloRole.Worker, "w2")]);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var before = await Balance(c);
        // A 20 s deadline falls inside the 30 s response timeout: CompleteAsync sends the job as one Complete call, and
        // the job grain asks its node for the whole output in one call too.
        var client = ClientOf(c, TimeSpan.FromSeconds(20));
        var jobId = JobIds.New();
        var call = client.CompleteAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "alpha beta gamma", MaxTokens = 20, JobId = jobId });
        await Eventually.True(async () => (await c.Status(jobId)).NodeId is not null, TimeSpan.FromSeconds(10), "the job to be sent to a node");
        var first = (await c.Status(jobId)).NodeId!;
        await Task.Delay(600); // echo-slow: 10 tokens a second, 20 tokens take 2 s
        await c.Cluster.KillSiloAsync(c.SiloHosting(first));
        var done = await call;

        // Nothing reached the caller before the node died, so the network ran the job again, whole, on the other node:
        // no continuation, every token once, one receipt's worth billed.
        Assert.Empty(done.Continuations);
        Assert.Equal(20, done.Tokens.Count);
        Assert.Equal(Enumerable.Range(0, 20), done.Tokens.Select(t => t.Index));
        Assert.NotEqual(first, done.NodeId);
        var status = await client.GetJobAsync(jobId);
        Assert.Equal(JobPhase.Completed, status.Phase);
        Assert.Equal(2, status.Attempts);
        Assert.Equal(20, status.CompletionTokens);
        var cost = Pricing.Cost(new NetworkParameters(), 1000, 3, 0, 20).ChargeNano;
        Assert.Equal(cost, done.CostNano);
        Assert.Equal(before - cost, await Balance(c));
        Assert.Equal(0, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).ReservedNano);
    }

    [Fact]
    public async Task A_core_silo_dying_mid_stream_is_reattached_and_the_job_goes_on()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cocoon-resume-{Guid.NewGuid():N}.db");
        try
        {
            await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Core), new(SiloRole.Worker, "w1")], sqlitePath: db);
            await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
            var before = await Balance(c);
            var client = ClientOf(c);
            // A job whose grain lives on the second core silo, the one this test kills.
            var jobId = await JobIdLivingOn(c, c.Cluster.Silos[1]);

            var events = await RunKillingAfterThreeTokens(client, jobId, 16, () => c.Cluster.KillSiloAsync(c.Cluster.Silos[1]));

            var completed = Assert.IsType<CocoonJobCompleted>(events[^1]);
            var tokens = events.OfType<CocoonJobToken>().ToList();
            Assert.Equal(Enumerable.Range(0, 16), tokens.Select(t => t.Index));
            var resumed = Assert.Single(events.OfType<CocoonJobResumed>());
            // The job's record survived (SQLite): its new activation failed it, billing what its stored receipt covers.
            var first = await client.GetJobAsync(jobId);
            Assert.Equal(JobPhase.Failed, first.Phase);
            var second = await client.GetJobAsync(resumed.ContinuationJobId);
            Assert.Equal(first.CostNano + second.CostNano, completed.CostNano);
            Assert.Equal(before - completed.CostNano, await Balance(c));
        }
        finally
        {
            try { File.Delete(db); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_gateway_silo_dying_while_its_job_lives_elsewhere_leaves_one_job_with_each_token_once()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cocoon-reattach-{Guid.NewGuid():N}.db");
        try
        {
            await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Core), new(SiloRole.Worker, "w1")], sqlitePath: db);
            await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
            var before = await Balance(c);
            var client = ClientOf(c);
            // A job whose grain lives on the first core silo: the second one dies while the job runs. When the job's
            // stream went through the dying silo's gateway, the client re-attaches to the running job and skips what it
            // already delivered; either way no continuation is needed and the job is billed once.
            var jobId = await JobIdLivingOn(c, c.Cluster.Silos[0]);

            var events = await RunKillingAfterThreeTokens(client, jobId, 12, () => c.Cluster.KillSiloAsync(c.Cluster.Silos[1]));

            var completed = Assert.IsType<CocoonJobCompleted>(events[^1]);
            Assert.Empty(events.OfType<CocoonJobResumed>());
            var tokens = events.OfType<CocoonJobToken>().ToList();
            Assert.Equal(Enumerable.Range(0, 12), tokens.Select(t => t.Index));
            Assert.Equal("alpha beta gamma alpha beta gamma alpha beta gamma alpha beta gamma", string.Concat(tokens.Select(t => t.Text)));
            Assert.Single(events.OfType<CocoonJobAccepted>());
            Assert.Equal(12, completed.CompletionTokens);
            var status = await client.GetJobAsync(jobId);
            Assert.Equal(status.CostNano, completed.CostNano);
            Assert.Equal(before - completed.CostNano, await Balance(c));
        }
        finally
        {
            try { File.Delete(db); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Cancelling_the_caller_and_a_passed_deadline_stop_the_job_on_its_node()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "w1")]);
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var client = ClientOf(c);
        var node = c.SiloHosting("w1").ServiceProvider.GetRequiredService<NodeRuntime>().Get("w1")!;

        // Cancelled by the caller after a few tokens.
        var cancelledId = JobIds.New();
        CancellationTokenSource? onNode = null;
        using (var cts = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var e in client.RunAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "a b c", MaxTokens = 40, JobId = cancelledId }, cts.Token))
                {
                    if (e is CocoonJobToken { Index: 2 })
                    {
                        onNode = node.Jobs[cancelledId];
                        cts.Cancel();
                    }
                }
            });
        }
        Assert.NotNull(onNode);
        await Eventually.True(() => Task.FromResult(onNode!.IsCancellationRequested), TimeSpan.FromSeconds(10), "the node's generation was cancelled");
        await Eventually.True(async () => (await client.GetJobAsync(cancelledId)).Phase == JobPhase.Failed, TimeSpan.FromSeconds(10), "the job ended");
        var status = await client.GetJobAsync(cancelledId);
        Assert.Equal(JobFailureCodes.Cancelled, status.FailureCode);
        Assert.True(status.CompletionTokens < 40);

        // Stopped by its deadline: the job grain cancels the node's work.
        var lateId = JobIds.New();
        CancellationTokenSource? lateOnNode = null;
        var events = new List<CocoonJobEvent>();
        await foreach (var e in client.RunAsync(new CocoonJobRequest { Model = "echo-slow", Prompt = "a b c", MaxTokens = 40, JobId = lateId, Timeout = TimeSpan.FromSeconds(1.5) }))
        {
            events.Add(e);
            if (e is CocoonJobToken { Index: 0 }) lateOnNode = node.Jobs[lateId];
        }
        var failed = Assert.IsType<CocoonJobFailed>(events[^1]);
        Assert.Equal(JobFailureCodes.DeadlineExceeded, failed.Code);
        Assert.Empty(events.OfType<CocoonJobResumed>());
        Assert.NotNull(lateOnNode);
        await Eventually.True(() => Task.FromResult(lateOnNode!.IsCancellationRequested), TimeSpan.FromSeconds(10), "the node's generation was cancelled");
        Assert.True(events.OfType<CocoonJobToken>().Count() < 40);
    }
}
