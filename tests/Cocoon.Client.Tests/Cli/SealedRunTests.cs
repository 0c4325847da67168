using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Client.Tests.Hosting;
using Cocoon.Jobs;

namespace Cocoon.Client.Tests.Cli;

/// <summary>The dev silo seals by default: its nodes present simulated evidence and refuse plaintext payloads.</summary>
[Collection(SiloCollection.Name)]
public sealed class SealedRunTests(SiloFixture fixture)
{
    [Fact]
    public async Task Run_json_seals_the_prompt_to_attested_nodes_and_prints_the_same_lines()
    {
        var nodes = await fixture.Client.ListNodesAsync("echo");
        Assert.NotEmpty(nodes);
        Assert.All(nodes, n => Assert.True(n.Attested, $"node {n.Id} presents no evidence"));

        var jobId = "sealed-" + Guid.NewGuid().ToString("N");
        var run = await fixture.Cli("run", "--model", "echo", "--prompt", "sealed words", "--max-tokens", "4", "--job-id", jobId, "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var events = run.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        var kinds = events.Select(e => (string)e["event"]!).ToArray();
        Assert.Equal("accepted", kinds[0]);
        Assert.Equal(4, kinds.Count(k => k == "token"));
        Assert.Contains("usage", kinds);
        Assert.Equal(["event", "index", "id", "text"], events.First(e => (string)e["event"]! == "token").Select(p => p.Key));
        Assert.Equal("completed", (string)events[^1]["event"]!);
        Assert.Equal("sealed words sealed words",
            string.Concat(events.Where(e => (string)e["event"]! == "token").Select(e => (string)e["text"]!)));
        // The client kept the job's content key (in an owner-only log) so it alone can replay the sealed output.
        using var keys = new SealedKeyStore(Path.Combine(fixture.Silo.Home, "sealed-jobs"), TimeSpan.FromDays(1));
        Assert.Equal(32, keys.Find(jobId)?.Length);
        Assert.DoesNotContain(Directory.GetFiles(keys.Folder), f => f.EndsWith(".key", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var log in Directory.GetFiles(keys.Folder))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
        }
    }

    [Fact]
    public async Task A_short_sealed_job_runs_as_one_call_and_its_output_opens_and_replays()
    {
        // A 10 s deadline falls inside the 30 s response timeout: CompleteAsync sends it as one Complete call, sealed.
        var done = await fixture.Client.CompleteAsync(new CocoonJobRequest { Model = "echo", Prompt = "one call", MaxTokens = 4, Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal("one call one call", done.Text);
        Assert.Equal(4, done.CompletionTokens);
        Assert.True(done.CostNano > 0);
        Assert.True(done.Timings.NodeEndMs >= done.Timings.NodeStartMs && done.Timings.NodeStartMs > 0, $"timings {done.Timings}");
        using (var keys = new SealedKeyStore(Path.Combine(fixture.Silo.Home, "sealed-jobs"), TimeSpan.FromDays(1)))
            Assert.NotNull(keys.Find(done.JobId));

        // The same id again replays the stored sealed output, opened with the kept key, billed once.
        var again = await fixture.Client.CompleteAsync(new CocoonJobRequest { Model = "echo", Prompt = "one call", MaxTokens = 4, JobId = done.JobId, Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(done.Text, again.Text);
        Assert.Equal(done.CostNano, again.CostNano);
        // And once more: the kept key survives the opener that wiped its copy.
        var third = await fixture.Client.CompleteAsync(new CocoonJobRequest { Model = "echo", Prompt = "one call", MaxTokens = 4, JobId = done.JobId, Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(done.Text, third.Text);
        Assert.Equal(done.CostNano, (await fixture.Client.GetJobAsync(done.JobId)).CostNano);
    }

    [Fact]
    public async Task A_client_that_sends_plaintext_is_refused_by_the_confidential_nodes()
    {
        await using var plain = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = fixture.Silo.Home;
            o.Gateways = [fixture.Silo.Gateway];
            o.Sealing = SealingMode.Off;
        });
        var failure = await Assert.ThrowsAsync<JobFailedException>(() =>
            plain.Client.CompleteAsync(new CocoonJobRequest { Prompt = "not sealed", MaxTokens = 2 }));
        Assert.Equal(JobFailureCodes.InvalidContent, failure.Code);
        Assert.Equal(0, failure.CostNano);
    }
}
