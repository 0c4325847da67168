using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Routing;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Grains.Tests;

/// <summary>One core silo and two worker silos (nodes w1 and w2) shared by the tests that leave the cluster intact.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public CocoonCluster Cocoon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cocoon = await CocoonCluster.StartAsync([
            new(SiloRole.Core),
            new(SiloRole.Worker, "w1"),
            new(SiloRole.Worker, "w2"),
        ]);
        await Cocoon.Fund(CocoonCluster.Account, 1_000_000_000_000);
    }

    public async Task DisposeAsync() => await Cocoon.DisposeAsync();
}

[CollectionDefinition(nameof(SharedCluster))]
public sealed class SharedCluster : ICollectionFixture<SharedClusterFixture>;

[Collection(nameof(SharedCluster))]
public sealed class JobTests(SharedClusterFixture fixture)
{
    private CocoonCluster C => fixture.Cocoon;

    [Fact]
    public async Task Echo_job_streams_accepted_tokens_usage_and_completed_and_bills_its_receipt()
    {
        var before = await C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        var events = await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "one two three", maxTokens: 5));

        Assert.IsType<JobAccepted>(events[0]);
        var tokens = events.OfType<JobTokenEvent>().Select(t => t.Token.Text).ToArray();
        Assert.Equal(["one", " two", " three", " one", " two"], tokens);
        var completed = Assert.IsType<JobCompleted>(events[^1]);
        Assert.Equal("length", completed.FinishReason);
        Assert.Equal(3, completed.PromptTokens);
        Assert.Equal(5, completed.CompletionTokens);
        var expected = Pricing.Cost(new NetworkParameters(), 1000, 3, 0, 5).ChargeNano;
        Assert.Equal(expected, completed.CostNano);
        Assert.True(events.OfType<JobUsageEvent>().Last().Receipt.Final);

        var after = await C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        Assert.Equal(before.BalanceNano - expected, after.BalanceNano);
    }

    [Fact]
    public async Task Same_job_id_twice_runs_once_and_charges_once()
    {
        var id = JobIds.New();
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        var request = CocoonCluster.Request(model: "echo-slow", maxTokens: 6);
        var both = await Task.WhenAll(C.Run(id, request), C.Run(id, request));
        var again = await C.Run(id, request);

        string Text(List<JobEvent> e) => string.Concat(e.OfType<JobTokenEvent>().Select(t => t.Token.Text));
        Assert.Equal(Text(both[0]), Text(both[1]));
        Assert.Equal(Text(both[0]), Text(again));
        var cost = Assert.IsType<JobCompleted>(again[^1]).CostNano;
        Assert.Equal(before - cost, (await wallet.GetBalance()).BalanceNano);
        Assert.Equal(1, (await C.Status(id)).Attempts);
    }

    [Fact]
    public async Task Complete_returns_what_a_stream_would_in_one_call_and_a_repeat_replays_without_billing_again()
    {
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        var streamed = await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "one two three", maxTokens: 5));
        var afterStream = (await wallet.GetBalance()).BalanceNano;

        var id = JobIds.New();
        var job = C.Client.GetGrain<IJobGrain>(id);
        var whole = await job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(prompt: "one two three", maxTokens: 5)));

        string Text(IEnumerable<JobEvent> e) => string.Concat(e.OfType<JobTokenEvent>().Select(t => t.Token.Text));
        Assert.IsType<JobAccepted>(whole[0]);
        Assert.Equal(Text(streamed), Text(whole));
        var completed = Assert.IsType<JobCompleted>(whole[^1]);
        Assert.Equal(Assert.IsType<JobCompleted>(streamed[^1]).CostNano, completed.CostNano);
        Assert.True(whole.OfType<JobUsageEvent>().Last().Receipt.Final);
        var afterWhole = (await wallet.GetBalance()).BalanceNano;
        Assert.Equal(before - afterStream, afterStream - afterWhole);

        // The same id again (signed afresh): the stored job is replayed, by either call, and billed once.
        var again = await job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(prompt: "one two three", maxTokens: 5)));
        var replayed = await C.Run(id, CocoonCluster.Request(prompt: "one two three", maxTokens: 5));
        Assert.Equal(Text(whole), Text(again));
        Assert.Equal(Text(whole), Text(replayed));
        Assert.Equal(afterWhole, (await wallet.GetBalance()).BalanceNano);
        Assert.Equal(1, (await C.Status(id)).Attempts);
    }

    [Fact]
    public async Task A_job_answered_in_one_call_deactivates_once_answered_a_streamed_one_stays_and_both_answer_from_the_store()
    {
        var management = C.Client.GetGrain<IManagementGrain>(0);
        var id = JobIds.New();
        var job = C.Client.GetGrain<IJobGrain>(id);
        var whole = await job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(prompt: "one two three", maxTokens: 3)));
        await Eventually.True(async () => await management.GetActivationAddress(job) is null, TimeSpan.FromSeconds(10),
            "the answered job's activation to go");

        var streamedId = JobIds.New();
        await C.Run(streamedId, CocoonCluster.Request(prompt: "one two three", maxTokens: 3));
        Assert.NotNull(await management.GetActivationAddress(C.Client.GetGrain<IJobGrain>(streamedId)));

        // A new activation reads the stored job: its status, and its events replayed to a repeat of the call.
        var status = await C.Status(id);
        Assert.Equal(JobPhase.Completed, status.Phase);
        Assert.Equal(Assert.IsType<JobCompleted>(whole[^1]).CostNano, status.CostNano);
        var again = await job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(prompt: "one two three", maxTokens: 3)));
        string Text(IEnumerable<JobEvent> e) => string.Concat(e.OfType<JobTokenEvent>().Select(t => t.Token.Text));
        Assert.Equal("one two three", Text(whole));
        Assert.Equal(Text(whole), Text(again));
        Assert.Equal(whole[^1], again[^1]);
    }

    [Fact]
    public async Task A_job_answered_in_one_call_is_first_stored_when_it_ends_and_a_streamed_one_when_it_starts()
    {
        var storage = C.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(CocoonStorage.Name);
        async Task<GrainState<Jobs.JobState>> Row(string jobId)
        {
            var row = new GrainState<Jobs.JobState>();
            await storage.ReadStateAsync("job", C.Internal.GetGrain<IJobGrain>(jobId).GetGrainId(), row);
            return row;
        }

        var id = JobIds.New();
        var job = C.Client.GetGrain<IJobGrain>(id);
        var call = job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(model: "echo-slow", prompt: "one two three", maxTokens: 6)));
        var streamedId = JobIds.New();
        var streamed = C.Run(streamedId, CocoonCluster.Request(model: "echo-slow", prompt: "one two three", maxTokens: 6));
        await Eventually.True(async () => (await C.Status(id)).Phase == JobPhase.Running && (await C.Status(streamedId)).Phase == JobPhase.Running,
            TimeSpan.FromSeconds(10), "both jobs to run");

        // Running: the whole job answers its status from memory and has no row yet; the streamed one is saved as running.
        Assert.False((await Row(id)).RecordExists);
        Assert.Equal(JobPhase.Running, (await Row(streamedId)).State!.Phase);

        var whole = await call;
        await streamed;
        var stored = await Row(id);
        Assert.True(stored.RecordExists);
        Assert.True(stored.State!.Settled);
        Assert.Equal(Assert.IsType<JobCompleted>(whole[^1]).CostNano, stored.State.CostNano);
        Assert.True((await Row(streamedId)).State!.Settled);
    }

    [Fact]
    public void The_directory_cache_is_bounded_so_its_size_gauge_stays_cheap_and_the_setting_is_checked()
    {
        // Every job leaves a directory cache entry behind, and the cache's size gauge walks them all each collection.
        var directory = C.Cluster.Silos[0].ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainDirectoryOptions>>();
        Assert.Equal(Hosting.CocoonSiloOptions.DefaultDirectoryCacheSize, directory.Value.CacheSize);
        Assert.Equal(20_000, Hosting.CocoonSiloOptions.DefaultDirectoryCacheSize);

        Assert.DoesNotContain(new Cocoon.Silo.Hosting.SiloSettings().Validate(), p => p.Contains("DirectoryCacheSize", StringComparison.Ordinal));
        Assert.Contains(new Cocoon.Silo.Hosting.SiloSettings { DirectoryCacheSize = 10 }.Validate(),
            p => p.StartsWith("Cocoon:DirectoryCacheSize 10 is too small", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complete_refuses_what_Run_refuses()
    {
        var id = JobIds.New();
        var job = C.Client.GetGrain<IJobGrain>(id);
        var request = CocoonCluster.Request();
        // Unsigned, and signed for another job id.
        await Assert.ThrowsAnyAsync<Exception>(() => job.Complete(request));
        await Assert.ThrowsAnyAsync<Exception>(() => job.Complete(CocoonCluster.Signed(JobIds.New(), request)));
        Assert.Equal(JobPhase.Unknown, (await C.Status(id)).Phase);
        await Assert.ThrowsAsync<UnknownModelException>(() => job.Complete(CocoonCluster.Signed(id, CocoonCluster.Request(model: "gpt-9"))));
    }

    [Fact]
    public async Task Cancelling_a_Complete_call_reaches_the_node_and_releases_the_reservation()
    {
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var id = JobIds.New();
        using var cts = new CancellationTokenSource();
        var call = C.Client.GetGrain<IJobGrain>(id).Complete(CocoonCluster.Signed(id, CocoonCluster.Request(model: "echo-slow", maxTokens: 40)), cts.Token);
        // echo-slow makes 10 tokens a second (40 take 4 s): cancel once the job was sent to a node.
        await Eventually.True(async () => (await C.Status(id)).NodeId is not null, TimeSpan.FromSeconds(10), "the job to be sent to a node");
        await Task.Delay(300);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await Eventually.True(async () => (await C.Status(id)).Phase == JobPhase.Failed, TimeSpan.FromSeconds(10), "the job to end");
        var status = await C.Status(id);
        Assert.Equal(JobFailureCodes.Cancelled, status.FailureCode);
        await Eventually.True(async () => (await wallet.GetBalance()).ReservedNano == 0, TimeSpan.FromSeconds(10), "the reservation to be released");
        await Eventually.True(async () =>
        {
            var nodes = await C.Client.GetGrain<Cocoon.Routing.IRouterGrain>("echo-slow").ListNodes();
            return nodes.All(n => n.Load.Running == 0);
        }, TimeSpan.FromSeconds(10), "the nodes to stop the cancelled job");
    }

    [Fact]
    public async Task Another_account_cannot_attach_to_read_or_cancel_a_job()
    {
        var id = JobIds.New();
        await C.Run(id, CocoonCluster.Request());
        var intruder = CocoonCluster.Remember(TestAccounts.Named("intruder"));
        await C.Fund(intruder.AccountId, 1_000_000_000, "intruder");
        // Properly signed by the intruder's own key: the signature is fine, the job is not theirs.
        await Assert.ThrowsAsync<JobAccessDeniedException>(() => C.Run(id, CocoonCluster.Request(key: intruder)));
        await Assert.ThrowsAsync<JobAccessDeniedException>(() => C.Status(id, intruder));
        await Assert.ThrowsAsync<JobAccessDeniedException>(() => C.Client.GetGrain<IJobGrain>(id).Cancel(
            TestAccounts.Sign(intruder, Cocoon.Security.RequestOperations.JobCancel, Cocoon.Security.RequestContent.Job(id))));
        Assert.Equal(JobPhase.Completed, (await C.Status(id)).Phase);
    }

    [Fact]
    public async Task Bad_input_gets_typed_errors_and_charges_nothing()
    {
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = await wallet.GetBalance();

        await Assert.ThrowsAsync<UnknownModelException>(() => C.Run(JobIds.New(), CocoonCluster.Request(model: "gpt-9")));
        var zero = await Assert.ThrowsAsync<InvalidJobException>(() => C.Run(JobIds.New(), CocoonCluster.Request(maxTokens: 0)));
        Assert.Equal("max_tokens", zero.Field);
        await Assert.ThrowsAsync<InvalidJobException>(() => C.Run(JobIds.New(), CocoonCluster.Request(maxTokens: 10_000_000)));
        var empty = await Assert.ThrowsAsync<InvalidJobException>(() => C.Run(JobIds.New(), CocoonCluster.Request(prompt: "")));
        Assert.Equal("max_prompt_tokens", empty.Field);
        await Assert.ThrowsAsync<UnknownAccountException>(() => C.Run(JobIds.New(), CocoonCluster.Request(key: CocoonCluster.Remember(TestAccounts.Fresh()))));
        var badId = await Assert.ThrowsAsync<InvalidJobException>(() => C.Run("bad id/with spaces", CocoonCluster.Request()));
        Assert.Equal("job_id", badId.Field);
        await Assert.ThrowsAsync<InsufficientFundsException>(async () =>
        {
            var poor = CocoonCluster.Remember(TestAccounts.Named("poor"));
            await C.Fund(poor.AccountId, 10, "poor");
            await C.Run(JobIds.New(), CocoonCluster.Request(key: poor));
        });

        // Blank content passes the public checks; the node, which sees the plaintext, refuses it.
        var blank = await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "   "));
        var failed = Assert.IsType<JobFailed>(blank[^1]);
        Assert.Equal(JobFailureCodes.InvalidContent, failed.Code);
        Assert.Equal(0, failed.CostNano);

        var after = await wallet.GetBalance();
        Assert.Equal(before.BalanceNano, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
    }

    [Fact]
    public async Task Deadline_exceeded_fails_clearly_bills_only_receipts_and_releases_the_rest()
    {
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = (await wallet.GetBalance()).BalanceNano;
        var events = await C.Run(JobIds.New(), CocoonCluster.Request(model: "echo-slow", maxTokens: 40, deadline: TimeSpan.FromSeconds(1.5)));
        var failed = Assert.IsType<JobFailed>(events[^1]);
        Assert.Equal(JobFailureCodes.DeadlineExceeded, failed.Code);
        Assert.Contains("deadline", failed.Message);
        var lastReceipt = events.OfType<JobUsageEvent>().LastOrDefault()?.Receipt;
        var billed = lastReceipt is null ? 0 : Pricing.Cost(new NetworkParameters(), 1000, lastReceipt.PromptTokens, 0, lastReceipt.CompletionTokens).ChargeNano;
        Assert.Equal(billed, failed.CostNano);
        var after = await wallet.GetBalance();
        Assert.Equal(before - billed, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
    }

    [Fact]
    public async Task Cancelling_the_run_reaches_the_node_and_bills_only_what_was_covered()
    {
        var wallet = C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var id = JobIds.New();
        using var cts = new CancellationTokenSource();
        var tokens = 0;
        try
        {
            await foreach (var e in C.Client.GetGrain<IJobGrain>(id).Run(CocoonCluster.Signed(id, CocoonCluster.Request(model: "echo-slow", maxTokens: 40)), cts.Token))
                if (e is JobTokenEvent && ++tokens == 5) cts.Cancel();
        }
        catch (OperationCanceledException)
        {
        }
        await Eventually.True(async () => (await C.Status(id)).Phase == JobPhase.Failed,
            TimeSpan.FromSeconds(10), "the job to end");
        var status = await C.Status(id);
        Assert.Equal(JobFailureCodes.Cancelled, status.FailureCode);
        Assert.True(status.CompletionTokens < 40);
        await Eventually.True(async () => (await wallet.GetBalance()).ReservedNano == 0, TimeSpan.FromSeconds(10), "the reservation to be released");
        // The node stopped generating: both nodes are idle again.
        await Eventually.True(async () =>
        {
            var nodes = await C.Client.GetGrain<Cocoon.Routing.IRouterGrain>("echo-slow").ListNodes();
            return nodes.All(n => n.Load.Running == 0);
        }, TimeSpan.FromSeconds(10), "the nodes to stop the cancelled job");
    }

    [Fact]
    public async Task Concurrent_jobs_of_one_account_never_overdraw_and_every_job_sums_to_zero()
    {
        var key = CocoonCluster.Remember(TestAccounts.Fresh());
        var account = key.AccountId;
        var maxCost = Pricing.MaxCharge(new NetworkParameters(), 1000, 16, 8);
        await C.Fund(account, maxCost * 3 + maxCost / 2, account);
        var ids = Enumerable.Range(0, 12).Select(_ => JobIds.New()).ToArray();
        var outcomes = await Task.WhenAll(ids.Select(async id =>
        {
            try { return (Events: await C.Run(id, CocoonCluster.Request(prompt: "p q r s", maxTokens: 8, key: key)), Refused: false); }
            catch (InsufficientFundsException) { return (Events: new List<JobEvent>(), Refused: true); }
        }));

        var completed = outcomes.Where(o => !o.Refused).Select(o => Assert.IsType<JobCompleted>(o.Events[^1])).ToArray();
        Assert.NotEmpty(completed);
        Assert.Contains(outcomes, o => o.Refused);
        var balance = await C.Internal.GetGrain<IWalletGrain>(account).GetBalance();
        Assert.True(balance.BalanceNano >= 0);
        Assert.Equal(0, balance.ReservedNano);
        Assert.Equal(maxCost * 3 + maxCost / 2 - completed.Sum(c => c.CostNano), balance.BalanceNano);

        // Each job's entries, across the client, owner and commission accounts, sum to zero.
        foreach (var id in ids)
        {
            long sum = 0;
            foreach (var a in new[] { account }.Concat(CocoonCluster.SystemAccounts()).Distinct())
                sum += (await C.Internal.GetGrain<IWalletGrain>(a).GetEntries(1000)).Where(e => e.ExternalId == id).Sum(e => e.AmountNano);
            Assert.Equal(0, sum);
        }
    }

    [Fact]
    public async Task A_node_grain_never_activates_off_its_silo()
    {
        var e = await Assert.ThrowsAsync<NodeUnavailableException>(() => C.Client.GetGrain<Cocoon.Nodes.INodeGrain>("no-such-node").Describe());
        Assert.Equal("no-such-node", e.NodeId);
        var w1 = await C.Client.GetGrain<Cocoon.Nodes.INodeGrain>("w1").Describe();
        Assert.Equal(C.SiloHosting("w1").SiloAddress.ToString(), w1.Silo);
    }

    [Fact]
    public async Task Core_grains_called_from_a_worker_silo_activate_on_a_core_silo()
    {
        var worker = C.Cluster.Silos[1];
        var factory = worker.ServiceProvider.GetRequiredService<IGrainFactory>();
        var account = "placement-" + Guid.NewGuid().ToString("N")[..8];
        await factory.GetGrain<IWalletGrain>(account).GetBalance();
        await factory.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get();
        var wallet = (GrainReference)(object)factory.GetGrain<IWalletGrain>(account);
        Assert.True(C.Cluster.TryGetGrainContext(wallet.GrainId, out var context));
        Assert.Equal(C.Cluster.Silos[0].SiloAddress, context!.Address.SiloAddress);
    }
}
