using System.Text.Json;
using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Cli;

[Collection(SiloCollection.Name)]
public sealed class RunCommandTests(SiloFixture fixture)
{
    private static JsonObject[] Events(CliRun run) => run.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();

    private static string[] Keys(JsonObject o) => o.Select(p => p.Key).ToArray();

    [Fact]
    public async Task Run_json_prints_one_compact_event_per_line_in_order()
    {
        var run = await fixture.Cli("run", "--model", "echo", "--prompt", "hello world", "--max-tokens", "12", "--seed", "7", "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.All(run.Lines, l => Assert.DoesNotContain("\n", l));
        var events = Events(run);
        var kinds = events.Select(e => (string)e["event"]!).ToArray();
        Assert.Equal("accepted", kinds[0]);
        Assert.Equal("completed", kinds[^1]);
        Assert.Equal(12, kinds.Count(k => k == "token"));
        Assert.Contains("usage", kinds);
        Assert.All(kinds, k => Assert.Contains(k, new[] { "accepted", "token", "usage", "completed" }));

        Assert.Equal(["event", "job_id", "node_id", "attempt", "deadline", "reserved_nano"], Keys(events[0]));
        Assert.Equal("local-gpu-0", (string)events[0]["node_id"]!);
        var tokens = events.Where(e => (string)e["event"]! == "token").ToArray();
        Assert.All(tokens, t => Assert.Equal(["event", "index", "id", "text"], Keys(t)));
        Assert.Equal(Enumerable.Range(0, 12), tokens.Select(t => (int)t["index"]!));
        Assert.Equal("hello world hello world hello world hello world hello world hello world", string.Concat(tokens.Select(t => (string)t["text"]!)));

        var usage = events.Last(e => (string)e["event"]! == "usage");
        Assert.Equal(["event", "prompt_tokens", "cached_prompt_tokens", "completion_tokens", "coefficient", "sequence", "final"], Keys(usage));
        Assert.True((bool)usage["final"]!);
        Assert.Equal(12, (int)usage["completion_tokens"]!);

        var completed = events[^1];
        Assert.Equal(["event", "finish_reason", "prompt_tokens", "cached_prompt_tokens", "completion_tokens", "cost_nano", "cost_ton",
            "route_ms", "node_ms", "job_ms", "elapsed_ms"], Keys(completed));
        Assert.Equal("length", (string)completed["finish_reason"]!);
        Assert.Equal(2, (int)completed["prompt_tokens"]!);
        Assert.Equal(12, (int)completed["completion_tokens"]!);
        // 14 tokens at coefficient 1.0 and the default 1000 nanoTON per token.
        Assert.Equal(14_000, (long)completed["cost_nano"]!);
        Assert.Equal("0.000014", (string)completed["cost_ton"]!);
    }

    [Fact]
    public async Task Two_runs_of_the_same_seeded_job_print_the_same_lines_apart_from_accepted_and_timings()
    {
        string[] args = ["run", "--model", "echo", "--prompt", "the same words", "--seed", "42", "--temperature", "0.7", "--json"];
        var first = await fixture.Cli(args);
        var second = await fixture.Cli(args);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());

        static string[] Stable(CliRun run) => Events(run)
            .Where(e => (string)e["event"]! != "accepted")
            .Select(e =>
            {
                foreach (var key in e.Select(p => p.Key).Where(k => k.EndsWith("_ms", StringComparison.Ordinal)).ToArray()) e.Remove(key);
                return e.ToJsonString();
            })
            .ToArray();

        Assert.NotEqual(Events(first)[0]["job_id"]!.ToString(), Events(second)[0]["job_id"]!.ToString());
        Assert.Equal(Stable(first), Stable(second));
        Assert.True(Stable(first).Length > 2);
    }

    [Fact]
    public async Task Without_json_tokens_stream_as_text_and_the_summary_goes_to_stderr()
    {
        var run = await fixture.Cli("run", "--prompt", "plain text", "--max-tokens", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("plain text plain" + Environment.NewLine, run.Out);
        Assert.Contains("3 tokens", run.Error);
        Assert.Contains("TON", run.Error);
    }

    [Fact]
    public async Task The_prompt_can_come_from_stdin_or_a_file()
    {
        var fromStdin = await CliRun.Invoke(["--home", fixture.Silo.Home, "run", "--prompt", "-", "--max-tokens", "2"], stdin: "from stdin\n");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Equal("from stdin" + Environment.NewLine, fromStdin.Out);

        var file = Path.Combine(fixture.Silo.Home, "prompt.txt");
        await File.WriteAllTextAsync(file, "from a file");
        var fromFile = await fixture.Cli("run", "--prompt-file", file, "--max-tokens", "3");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal("from a file" + Environment.NewLine, fromFile.Out);
    }

    [Fact]
    public async Task An_unknown_model_exits_3_and_names_the_known_ones()
    {
        var run = await fixture.Cli("run", "--model", "no-such-model", "--prompt", "hi", "--json");

        Assert.Equal(ExitCodes.UnknownModel, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("no-such-model", run.Error);
        Assert.Contains("echo", run.Error);
    }

    [Theory]
    [InlineData("--max-tokens", "0")]
    [InlineData("--max-tokens", "-5")]
    [InlineData("--max-tokens", "many")]
    [InlineData("--top-p", "1.5")]
    [InlineData("--timeout", "soon")]
    [InlineData("--job-id", "not a job id")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        var run = await fixture.Cli("run", "--prompt", "hi", option, value, "--json");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains(option.TrimStart('-'), run.Error);
    }

    [Fact]
    public async Task Max_tokens_above_the_network_limit_is_a_usage_error()
    {
        var run = await fixture.Cli("run", "--prompt", "hi", "--max-tokens", "1000000");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("max_tokens", run.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_prompt_is_a_usage_error(string prompt)
    {
        var run = await fixture.Cli("run", "--prompt", prompt);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("empty", run.Error);
    }

    [Fact]
    public async Task No_prompt_at_all_is_a_usage_error()
    {
        var run = await fixture.Cli("run", "--model", "echo");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--prompt", run.Error);
    }

    [Fact]
    public async Task A_job_costing_more_than_the_balance_exits_4()
    {
        // The reservation is the job's maximum cost: 32768 tokens at a 2,000,000× coefficient is far above 100 TON.
        var run = await fixture.Cli("run", "--prompt", "hi", "--max-tokens", "32768", "--max-coefficient", "2000000000", "--json");

        Assert.Equal(ExitCodes.InsufficientFunds, run.ExitCode);
        Assert.Contains("deposit", run.Error);
    }

    [Fact]
    public async Task An_account_without_a_ledger_exits_6()
    {
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("cocoon-nobody-").FullName, "nobody.key");
        Assert.Equal(0, (await CliRun.Invoke(["keys", "create", "--out", keyFile])).ExitCode);
        var run = await fixture.Cli("run", "--prompt", "hi", "--key", keyFile);

        Assert.Equal(ExitCodes.NoAccount, run.ExitCode);
        Assert.Contains("deposit", run.Error);

        // An account whose key this client does not hold cannot even be asked for.
        var noKey = await fixture.Cli("run", "--prompt", "hi", "--account", "nobody-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(ExitCodes.NoAccount, noKey.ExitCode);
        Assert.Contains("--key", noKey.Error);
        Directory.Delete(Path.GetDirectoryName(keyFile)!, recursive: true);
    }

    [Fact]
    public async Task A_coefficient_limit_below_every_node_fails_with_no_node_at_once()
    {
        var run = await fixture.Cli("run", "--prompt", "hi", "--max-coefficient", "1", "--json");

        Assert.Equal(ExitCodes.JobNoNode, run.ExitCode);
        var failed = Events(run).Single();
        Assert.Equal("failed", (string)failed["event"]!);
        Assert.Equal("no_node", (string)failed["code"]!);
        Assert.Equal(0, (long)failed["cost_nano"]!);
    }

    [Fact]
    public async Task Running_the_same_job_id_again_replays_the_result_and_charges_once()
    {
        var jobId = "replay-" + Guid.NewGuid().ToString("N");
        var first = await fixture.Cli("run", "--prompt", "replay me", "--max-tokens", "5", "--job-id", jobId, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var afterFirst = await fixture.Client.GetBalanceAsync();

        var second = await fixture.Cli("run", "--prompt", "replay me", "--max-tokens", "5", "--job-id", jobId, "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        var afterSecond = await fixture.Client.GetBalanceAsync();

        static string[] TokensAndCost(CliRun run) => Events(run)
            .Where(e => (string)e["event"]! is "token" or "completed")
            .Select(e => (string)e["event"]! == "token" ? (string)e["text"]! : $"cost {(long)e["cost_nano"]!}")
            .ToArray();
        Assert.Equal(TokensAndCost(first), TokensAndCost(second));
        Assert.Equal(afterFirst.BalanceNano, afterSecond.BalanceNano);
        var charges = (await fixture.Client.GetEntriesAsync(null, 200))
            .Where(e => e.ExternalId == jobId && e.Kind == Wallets.LedgerEntryKind.Capture).ToArray();
        Assert.Single(charges);
    }

    [Fact]
    public async Task Run_waits_for_a_node_up_to_its_timeout_then_fails_with_no_node()
    {
        // The fixture's silo allows a model no node serves: the client polls the router until the deadline.
        Assert.Contains(TestSilo.UnservedModel, (await fixture.Client.GetNetworkAsync()).AllowedModels);

        var run = await fixture.Cli("run", "--model", TestSilo.UnservedModel, "--prompt", "anyone?", "--timeout", "1500ms", "--json");

        Assert.Equal(ExitCodes.JobNoNode, run.ExitCode);
        var failed = Events(run).Single();
        Assert.Equal("no_node", (string)failed["code"]!);
        Assert.Contains("deadline", (string)failed["message"]!);
        Assert.Equal(0, (long)failed["cost_nano"]!);
    }
}
