using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Cli;

/// <summary><c>cocoon chat</c> against the real silo, with the echo model (it repeats the words of the whole conversation).</summary>
[Collection(SiloCollection.Name)]
public sealed class ChatCommandTests(SiloFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cocoon-chat-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Interactive_chat_streams_replies_keeps_the_conversation_and_resets_it()
    {
        var run = await CliRun.Invoke(["--home", fixture.Silo.Home, "chat", "--max-tokens", "2"],
            stdin: "hello there\nsecond turn\n/reset\nthird turn\n/bogus\n\n/exit\nnever sent\n");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        // The second reply echoes the first words of the whole conversation: the first turn was kept. After /reset only
        // the new message is left.
        Assert.Equal("> hello there\n> hello there\n> > third turn\n> > > ", run.Out.Replace("\r\n", "\n"));
        Assert.Contains("Chatting with echo", run.Error);
        Assert.Contains("(conversation cleared)", run.Error);
        Assert.Contains("unknown command /bogus", run.Error);
        Assert.Contains("2 tokens", run.Error);
        Assert.DoesNotContain("never sent", run.Out);
    }

    [Fact]
    public async Task Interactive_chat_ends_at_end_of_input_and_reports_a_refused_message_without_leaving()
    {
        var run = await CliRun.Invoke(["--home", fixture.Silo.Home, "chat", "--model", "no-such-model", "--max-tokens", "2"], stdin: "hi\n");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("no-such-model", run.Error);
        Assert.Contains("echo", run.Error); // the models it may use instead
    }

    [Fact]
    public async Task Single_message_json_prints_the_reply_usage_cost_and_the_conversation_to_pass_back()
    {
        var first = await fixture.Cli("chat", "--message", "hello there", "--system", "be brief", "--max-tokens", "4", "--json");

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        var line = Assert.Single(first.Lines);
        var o = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(["job_id", "model", "reply", "finish_reason", "prompt_tokens", "completion_tokens", "cost_nano", "cost_ton", "elapsed_ms", "messages"],
            o.Select(p => p.Key).ToArray());
        Assert.Equal("be brief hello there", (string)o["reply"]!);
        Assert.Equal("length", (string)o["finish_reason"]!);
        Assert.Equal(4, (int)o["completion_tokens"]!);
        Assert.True((long)o["cost_nano"]! > 0);
        var messages = o["messages"]!.AsArray().Select(m => ((string)m!["role"]!, (string)m["content"]!)).ToArray();
        Assert.Equal([("system", "be brief"), ("user", "hello there"), ("assistant", "be brief hello there")], messages);
        var status = await fixture.Client.GetJobAsync((string)o["job_id"]!);
        Assert.Equal((long)o["cost_nano"]!, status.CostNano);

        // The printed object goes back in as the history of the next call.
        var file = Path.Combine(_dir, "conversation.json");
        await File.WriteAllTextAsync(file, line);
        var next = await fixture.Cli("chat", "--messages-file", file, "--message", "and more", "--max-tokens", "10", "--json");
        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        var n = JsonNode.Parse(Assert.Single(next.Lines))!.AsObject();
        Assert.Equal("be brief hello there be brief hello there and more", (string)n["reply"]!);
        Assert.Equal(5, n["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task Single_message_text_prints_the_reply_on_stdout_and_a_summary_on_stderr()
    {
        var run = await CliRun.Invoke(["--home", fixture.Silo.Home, "chat", "--message", "-", "--max-tokens", "3"], stdin: "one two three four");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("one two three\n", run.Out.Replace("\r\n", "\n"));
        Assert.Contains("3 tokens", run.Error);
    }

    [Fact]
    public async Task A_job_that_fails_exits_with_its_code_and_json_names_the_error()
    {
        var run = await fixture.Cli("chat", "--model", TestSilo.UnservedModel, "--message", "anyone?", "--timeout", "1500ms", "--json");

        Assert.Equal(ExitCodes.JobNoNode, run.ExitCode);
        var o = JsonNode.Parse(Assert.Single(run.Lines))!.AsObject();
        Assert.Equal("no_node", (string)o["error"]!["code"]!);
        Assert.Equal(0, (long)o["cost_nano"]!);
        // Neither the message nor a failed reply joins the conversation: a script sends the message again.
        Assert.Empty(o["messages"]!.AsArray());
    }

    [Theory]
    [InlineData(ExitCodes.Usage, "chat", "--json")]
    [InlineData(ExitCodes.Usage, "chat", "--message", " ")]
    [InlineData(ExitCodes.Usage, "chat", "--message", "hi", "--max-tokens", "0")]
    [InlineData(ExitCodes.UnknownModel, "chat", "--message", "hi", "--model", "no-such-model")]
    public async Task Bad_requests_exit_with_the_documented_codes(int code, params string[] args)
    {
        var run = await fixture.Cli(args);

        Assert.True(run.ExitCode == code, run.ToString());
        Assert.StartsWith("error: ", run.Error);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("{\"nope\":1}", "must hold a JSON array")]
    [InlineData("[{\"role\":\"robot\",\"content\":\"x\"}]", "role 'robot'")]
    [InlineData("[{\"role\":\"user\"}]", "message 0 needs")]
    public async Task A_malformed_messages_file_is_a_usage_error_that_says_what_is_wrong(string content, string expected)
    {
        var file = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(file, content);

        var run = await fixture.Cli("chat", "--messages-file", file, "--message", "hi");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public async Task An_unreachable_network_exits_5_and_says_how_to_start_it()
    {
        var run = await CliRun.Invoke(["--home", _dir, "--gateway", $"127.0.0.1:{FreePorts.Next()}", "chat", "--message", "hi"]);

        Assert.Equal(ExitCodes.ClusterUnreachable, run.ExitCode);
        Assert.Contains("dotnet run --project silo", run.Error);
        Assert.Equal("", run.Out);
    }
}
