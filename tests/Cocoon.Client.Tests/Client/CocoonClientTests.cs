using Cocoon.Errors;
using Cocoon.Client.Tests.Hosting;
using Cocoon.Jobs;
using Cocoon.Wallets;

namespace Cocoon.Client.Tests.Client;

[Collection(SiloCollection.Name)]
public sealed class CocoonClientTests(SiloFixture fixture)
{
    private ICocoonClient Client => fixture.Client;

    [Fact]
    public async Task RunAsync_streams_accepted_tokens_usage_then_completed()
    {
        var events = new List<CocoonJobEvent>();
        await foreach (var e in Client.RunAsync(new CocoonJobRequest { Prompt = "one two three", MaxTokens = 4 }))
            events.Add(e);

        Assert.IsType<CocoonJobAccepted>(events[0]);
        var completed = Assert.IsType<CocoonJobCompleted>(events[^1]);
        Assert.Equal(["one", " two", " three", " one"], events.OfType<CocoonJobToken>().Select(t => t.Text));
        Assert.True(events.OfType<CocoonJobUsage>().Last().Final);
        Assert.Equal(3, completed.PromptTokens);
        Assert.Equal(4, completed.CompletionTokens);
        Assert.Equal(7_000, completed.CostNano);
    }

    [Fact]
    public async Task CompleteAsync_collects_text_usage_and_cost_and_the_ledger_explains_the_cost()
    {
        var before = await Client.GetBalanceAsync();

        var done = await Client.CompleteAsync(new CocoonJobRequest
        {
            Messages = [new PromptMessage("user", "chat message")],
            MaxTokens = 3,
            Seed = 9,
            Temperature = 0.5f,
            Stop = ["never"],
        });

        Assert.Equal("chat message chat", done.Text);
        Assert.Equal(3, done.Tokens.Count);
        Assert.Equal("local-gpu-0", done.NodeId);
        Assert.Equal((2 + 3) * 1000, done.CostNano);
        var after = await Client.GetBalanceAsync();
        Assert.Equal(before.BalanceNano - done.CostNano, after.BalanceNano);
        var entries = (await Client.GetEntriesAsync(limit: 20)).Where(e => e.ExternalId == done.JobId).ToArray();
        Assert.Equal(-done.CostNano, entries.Single(e => e.Kind == LedgerEntryKind.Capture).AmountNano);
        Assert.Contains(entries, e => e.Kind == LedgerEntryKind.Reserve);
    }

    [Fact]
    public async Task Typed_errors_pass_through()
    {
        await Assert.ThrowsAsync<UnknownModelException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", Model = "nope" }));
        var invalid = await Assert.ThrowsAsync<InvalidJobException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = " " }));
        Assert.Equal("prompt", invalid.Field);
        await Assert.ThrowsAsync<InvalidJobException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", MaxTokens = 0 }));
        await Assert.ThrowsAsync<InvalidJobException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", JobId = "bad id" }));
        // An account this client holds no key for cannot be billed or read: the client cannot sign for it.
        var noKey = await Assert.ThrowsAsync<NoAccountKeyException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", AccountId = "empty-" + Guid.NewGuid().ToString("N")[..8] }));
        Assert.Equal("no_account_key", noKey.Code);
        // A key of its own, but no deposit yet.
        await using (var fresh = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = fixture.Silo.Home;
            o.Gateways = [fixture.Silo.Gateway];
            o.AccountKey = Cocoon.Security.AccountKey.Create();
        }))
        {
            await Assert.ThrowsAsync<UnknownAccountException>(() => fresh.Client.CompleteAsync(new CocoonJobRequest { Prompt = "x" }));
        }
        await Assert.ThrowsAsync<InsufficientFundsException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", MaxTokens = 32_768, MaxCoefficient = 2_000_000_000 }));
        var missing = await Assert.ThrowsAsync<JobNotFoundException>(() => Client.GetJobAsync("missing-" + Guid.NewGuid().ToString("N")));
        Assert.Equal("job_not_found", missing.Code);
    }

    [Fact]
    public async Task A_failed_job_raises_JobFailedException_with_its_code()
    {
        var failed = await Assert.ThrowsAsync<JobFailedException>(() => Client.CompleteAsync(new CocoonJobRequest { Prompt = "x", MaxCoefficient = 1 }));

        Assert.Equal(JobFailureCodes.NoNode, failed.Code);
        Assert.Equal(0, failed.CostNano);
    }

    [Fact]
    public async Task Nodes_and_models_come_from_the_registry_and_the_routers()
    {
        var nodes = await Client.ListNodesAsync();
        var node = Assert.Single(nodes, n => n.Id == "local-gpu-0");
        Assert.Equal(["cocoon-tiny", "echo"], node.Models);
        Assert.Equal("dev-worker", node.Owner);

        var models = await Client.ListModelsAsync();
        Assert.Contains(models, m => m.Name == "echo" && m.Nodes >= 1);
        Assert.Contains(models, m => m.Name == TestSilo.UnservedModel && m.Nodes == 0);
        Assert.Equal((await Client.GetNetworkAsync()).AllowedModels, models.Select(m => m.Name));
    }

    [Fact]
    public async Task Jobs_can_be_read_back_and_attached_to_by_id_without_a_second_charge()
    {
        var jobId = "lib-" + Guid.NewGuid().ToString("N");
        var first = await Client.CompleteAsync(new CocoonJobRequest { Prompt = "attach to me", MaxTokens = 5, JobId = jobId });
        var balance = await Client.GetBalanceAsync();

        var again = await Client.CompleteAsync(new CocoonJobRequest { Prompt = "attach to me", MaxTokens = 5, JobId = jobId });

        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.CostNano, again.CostNano);
        Assert.Equal(balance.BalanceNano, (await Client.GetBalanceAsync()).BalanceNano);
        var status = await Client.GetJobAsync(jobId);
        Assert.Equal(JobPhase.Completed, status.Phase);
        Assert.Equal(first.CostNano, status.CostNano);
    }

    [Fact]
    public async Task Another_account_cannot_read_or_cancel_a_job()
    {
        var done = await Client.CompleteAsync(new CocoonJobRequest { Prompt = "mine", MaxTokens = 1 });

        // The intruder signs with its own key: a valid signature, but not the job's account.
        await using var intruder = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = fixture.Silo.Home;
            o.Gateways = [fixture.Silo.Gateway];
            o.AccountKey = Cocoon.Security.AccountKey.Create();
        });
        await Assert.ThrowsAsync<JobAccessDeniedException>(() => intruder.Client.GetJobAsync(done.JobId));
        await Assert.ThrowsAsync<JobAccessDeniedException>(() => intruder.Client.CancelJobAsync(done.JobId));
        // Nor can this client name another account it holds no key for.
        await Assert.ThrowsAsync<NoAccountKeyException>(() => Client.GetJobAsync(done.JobId, "intruder"));
        Assert.Equal(JobPhase.Completed, (await Client.GetJobAsync(done.JobId)).Phase);
    }

    [Fact]
    public async Task Stopping_the_enumeration_ends_the_job()
    {
        var jobId = "stopped-" + Guid.NewGuid().ToString("N");
        await foreach (var e in Client.RunAsync(new CocoonJobRequest { Prompt = "stop early", MaxTokens = 16, JobId = jobId }))
            if (e is CocoonJobToken) break;

        // Either the cancellation reached the job or it had already finished: it never stays running.
        await Eventually.True(async () => (await Client.GetJobAsync(jobId)).Phase != JobPhase.Running,
            TimeSpan.FromSeconds(30), () => $"job {jobId} still running");
    }
}
