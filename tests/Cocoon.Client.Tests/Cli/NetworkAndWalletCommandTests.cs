using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Cli;

[Collection(SiloCollection.Name)]
public sealed class NetworkAndWalletCommandTests(SiloFixture fixture)
{
    [Fact]
    public async Task Nodes_json_lists_the_local_node_with_its_models_price_load_region_and_owner()
    {
        var run = await fixture.Cli("nodes", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Assert.Single(run.Lines);
        var node = JsonNode.Parse(line)!["nodes"]!.AsArray().Single(n => (string)n!["id"]! == "local-gpu-0")!;
        Assert.Equal(["cocoon-tiny", "echo"], node["models"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(1000, (int)node["coefficient"]!);
        Assert.NotNull(node["load"]!["running"]);
        Assert.NotNull(node["load"]!["queued"]);
        Assert.Equal("local", (string)node["region"]!);
        Assert.Equal("dev-worker", (string)node["owner"]!);
    }

    [Fact]
    public async Task Nodes_without_json_is_a_table_for_people()
    {
        var run = await fixture.Cli("nodes", "--model", "echo");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("local-gpu-0", run.Out);
        Assert.Contains("dev-worker", run.Out);
    }

    [Fact]
    public async Task Nodes_of_an_unknown_model_exit_3()
    {
        var run = await fixture.Cli("nodes", "--model", "no-such-model");

        Assert.Equal(ExitCodes.UnknownModel, run.ExitCode);
    }

    [Fact]
    public async Task Models_json_lists_the_allowed_models_with_their_node_counts()
    {
        var run = await fixture.Cli("models", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var echo = JsonNode.Parse(run.Out)!["models"]!.AsArray().Single(m => (string)m!["name"]! == "echo")!;
        Assert.True((int)echo["nodes"]! >= 1);
    }

    [Fact]
    public async Task Balance_json_gives_nanoton_and_ton_strings()
    {
        var run = await fixture.Cli("balance", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var b = JsonNode.Parse(Assert.Single(run.Lines))!;
        Assert.Equal(fixture.DevAccount, (string)b["account"]!);
        Assert.StartsWith("acc_", fixture.DevAccount);
        var balance = (long)b["balance_nano"]!;
        var reserved = (long)b["reserved_nano"]!;
        Assert.Equal(balance - reserved, (long)b["available_nano"]!);
        Assert.Equal(TonAmount.Format(balance), (string)b["balance_ton"]!);
        Assert.Equal(TonAmount.Format(reserved), (string)b["reserved_ton"]!);
        Assert.Equal(TonAmount.Format(balance - reserved), (string)b["available_ton"]!);
        Assert.True((long)b["owed_nano"]! >= 0);
    }

    [Fact]
    public async Task A_job_lowers_the_balance_by_its_cost_and_the_entries_explain_it()
    {
        var before = JsonNode.Parse((await fixture.Cli("balance", "--json")).Out)!;
        var jobId = "billed-" + Guid.NewGuid().ToString("N");
        var run = await fixture.Cli("run", "--prompt", "pay for this", "--max-tokens", "6", "--job-id", jobId, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var cost = (long)JsonNode.Parse(run.Lines[^1])!["cost_nano"]!;
        Assert.Equal((3 + 6) * 1000, cost);

        var after = JsonNode.Parse((await fixture.Cli("balance", "--json", "--entries", "50")).Out)!;
        Assert.Equal((long)before["balance_nano"]! - cost, (long)after["balance_nano"]!);
        var entries = after["entries"]!.AsArray().Where(e => (string)e!["external_id"]! == jobId).ToArray();
        var kinds = entries.Select(e => (string)e!["kind"]!).ToArray();
        Assert.Contains("reserve", kinds);
        Assert.Contains("release", kinds);
        var capture = entries.Single(e => (string)e!["kind"]! == "capture")!;
        Assert.Equal(-cost, (long)capture["amount_nano"]!);
        Assert.Equal("dev-worker", (string)capture["counterparty"]!);
        Assert.Equal(0, entries.Where(e => (string)e!["kind"]! != "capture").Sum(e => (long)e!["amount_nano"]!));
    }

    [Fact]
    public async Task Balance_table_shows_the_account()
    {
        var run = await fixture.Cli("balance", "--entries", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(fixture.DevAccount, run.Out);
        Assert.Contains("Available", run.Out);
    }

    [Fact]
    public async Task Jobs_show_reports_a_finished_job()
    {
        var jobId = "shown-" + Guid.NewGuid().ToString("N");
        var run = await fixture.Cli("run", "--prompt", "show me", "--max-tokens", "4", "--job-id", jobId, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());

        var show = await fixture.Cli("jobs", "show", jobId, "--json");

        Assert.True(show.ExitCode == 0, show.ToString());
        var s = JsonNode.Parse(Assert.Single(show.Lines))!;
        Assert.Equal(jobId, (string)s["job_id"]!);
        Assert.Equal("completed", (string)s["status"]!);
        Assert.Equal("echo", (string)s["model"]!);
        Assert.Equal("local-gpu-0", (string)s["node_id"]!);
        Assert.Equal(4, (int)s["completion_tokens"]!);
        Assert.Equal((long)JsonNode.Parse(run.Lines[^1])!["cost_nano"]!, (long)s["cost_nano"]!);
    }

    [Fact]
    public async Task Jobs_cancel_of_a_finished_job_changes_nothing()
    {
        var jobId = "cancelled-late-" + Guid.NewGuid().ToString("N");
        Assert.Equal(0, (await fixture.Cli("run", "--prompt", "done already", "--max-tokens", "2", "--job-id", jobId)).ExitCode);
        var balance = await fixture.Client.GetBalanceAsync();

        var cancel = await fixture.Cli("jobs", "cancel", jobId, "--json");

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal("completed", (string)JsonNode.Parse(cancel.Out)!["status"]!);
        Assert.Equal(balance.BalanceNano, (await fixture.Client.GetBalanceAsync()).BalanceNano);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("cancel")]
    public async Task Jobs_of_an_unknown_id_exit_8(string verb)
    {
        var run = await fixture.Cli("jobs", verb, "never-ran-" + Guid.NewGuid().ToString("N"));

        Assert.Equal(ExitCodes.JobNotFound, run.ExitCode);
        Assert.Contains("does not exist", run.Error);
    }

    [Fact]
    public async Task Another_accounts_job_is_not_shown()
    {
        var jobId = "private-" + Guid.NewGuid().ToString("N");
        Assert.Equal(0, (await fixture.Cli("run", "--prompt", "mine", "--max-tokens", "1", "--job-id", jobId)).ExitCode);

        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("cocoon-else-").FullName, "else.key");
        Assert.Equal(0, (await CliRun.Invoke(["keys", "create", "--out", keyFile])).ExitCode);
        var run = await fixture.Cli("jobs", "show", jobId, "--key", keyFile);
        var cancel = await fixture.Cli("jobs", "cancel", jobId, "--key", keyFile);
        Directory.Delete(Path.GetDirectoryName(keyFile)!, recursive: true);

        Assert.Equal(ExitCodes.JobAccessDenied, run.ExitCode);
        Assert.Equal(ExitCodes.JobAccessDenied, cancel.ExitCode);
    }

    [Fact]
    public async Task Without_an_account_in_the_data_directory_the_cli_says_how_to_get_one()
    {
        var home = Directory.CreateTempSubdirectory("cocoon-no-account-").FullName;
        try
        {
            var run = await CliRun.Invoke(["--home", home, "--gateway", fixture.Silo.Gateway, "balance", "--json"]);

            Assert.Equal(ExitCodes.NoAccount, run.ExitCode);
            Assert.Contains("--key", run.Error);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
