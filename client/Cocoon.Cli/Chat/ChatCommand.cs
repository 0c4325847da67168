using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cocoon.Cli.Hosting;
using Cocoon.Cli.Jobs;
using Cocoon.Client;
using Cocoon.Jobs;

namespace Cocoon.Cli.Chat;

/// <summary>
/// <c>cocoon chat</c>: a conversation with a model. Interactive by default (replies stream as they arrive; the
/// conversation is kept as messages; <c>/reset</c>, <c>/exit</c>); <c>--message</c> asks once, for scripts.
/// </summary>
public static class ChatCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model to chat with.", DefaultValueFactory = _ => "echo" };
        var system = new Option<string?>("--system") { Description = "System message that opens the conversation.", HelpName = "TEXT" };
        var message = new Option<string?>("--message") { Description = "Ask once and exit (no interaction); '-' reads it from stdin.", HelpName = "TEXT" };
        var messagesFile = new Option<string?>("--messages-file")
        {
            Description = "Earlier conversation: a JSON array of {\"role\",\"content\"}, or the object `chat --json` printed; '-' reads stdin.",
            HelpName = "PATH",
        };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Completion tokens at most, per reply.", DefaultValueFactory = _ => 256 }
            .Require(v => v > 0, "--max-tokens must be a positive integer.");
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy)." }
            .Require(v => v >= 0 && float.IsFinite(v), "--temperature must be a number ≥ 0.");
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling mass, in (0, 1].", DefaultValueFactory = _ => 1f }
            .Require(v => v is > 0 and <= 1, "--top-p must be in (0, 1].");
        var seed = new Option<ulong?>("--seed") { Description = "Sampling seed: the same seed and conversation give the same reply." };
        var maxCoefficient = new Option<int>("--max-coefficient") { Description = "Highest node price coefficient accepted (1000 = 1.0).", DefaultValueFactory = _ => 4_000 }
            .Require(v => v > 0, "--max-coefficient must be a positive integer (1000 = 1.0).");
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long one reply may take, waiting for a node included: 90, 30s, 1500ms, 2m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (Durations.TryParse(text, out var value)) return value;
                r.AddError($"--timeout '{text}' is not a duration: use seconds (90) or a unit (1500ms, 30s, 2m, 1h), at most 24 h.");
                return default;
            },
        };
        var account = AccountOption.Create();
        var json = new Option<bool>("--json") { Description = "With --message: print one JSON object (reply, usage, cost, the whole conversation)." };

        var command = new Command("chat", "Chat with a model: interactive, or one --message for scripts.")
        {
            model, system, message, messagesFile, maxTokens, temperature, topP, seed, maxCoefficient, timeout, account, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var io = runner.IO;
            var once = parse.GetValue(message);
            var asJson = parse.GetValue(json);
            ChatSession session;
            try
            {
                if (asJson && once is null)
                    throw new FormatException("--json needs --message: the interactive chat is for people.");
                if (once is "-" && parse.GetValue(messagesFile) is "-")
                    throw new FormatException("--message - and --messages-file - cannot both read stdin.");
                var history = parse.GetValue(messagesFile) is { } file ? ChatHistory.Read(file, io.In) : [];
                session = new ChatSession(parse.GetValue(system), history, new CocoonJobRequest
                {
                    Model = parse.GetValue(model),
                    MaxTokens = parse.GetValue(maxTokens),
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    Seed = parse.GetValue(seed),
                    MaxCoefficient = parse.GetValue(maxCoefficient),
                    Timeout = parse.GetValue(timeout),
                });
                if (once is not null)
                {
                    once = once == "-" ? io.In.ReadToEnd() : once;
                    if (string.IsNullOrWhiteSpace(once))
                        throw new FormatException("the message is empty: send at least one non-blank character.");
                }
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            return await runner.Run(parse, parse.GetValue(account), client => once is not null
                ? Once(client, session, once, asJson, io, cancellationToken)
                : Interactive(client, session, io, cancellationToken), cancellationToken);
        });
        return command;
    }

    private static async Task<int> Once(ICocoonClient client, ChatSession session, string message, bool json, CliIO io, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var reply = await session.Send(client, message, json ? null : io.Out, io.Error, cancellationToken);
        if (json)
        {
            await io.Out.WriteLineAsync(ReplyJson(session, reply, clock.ElapsedMilliseconds));
        }
        else
        {
            await io.Out.WriteLineAsync();
            await io.Error.WriteLineAsync(reply.Failed is null ? Summary(reply, clock.Elapsed) : FailureLine(reply));
        }
        return reply.Failed is { } f ? ExitCodes.ForFailure(f.Code) : ExitCodes.Success;
    }

    private static async Task<int> Interactive(ICocoonClient client, ChatSession session, CliIO io, CancellationToken cancellationToken)
    {
        await io.Error.WriteLineAsync($"Chatting with {session.Model}. Type a message; /reset starts over, /exit (or end of input) leaves.");
        while (true)
        {
            await io.Out.WriteAsync("> ");
            await io.Out.FlushAsync(cancellationToken);
            var line = await io.In.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                await io.Out.WriteLineAsync();
                return ExitCodes.Success;
            }
            line = line.Trim();
            if (line.Length == 0) continue;
            switch (line)
            {
                case "/exit" or "/quit":
                    return ExitCodes.Success;
                case "/reset":
                    session.Reset();
                    await io.Error.WriteLineAsync("(conversation cleared)");
                    continue;
                case "/help":
                    await io.Error.WriteLineAsync("/reset  forget the conversation (the system message stays)\n/exit   leave (also end of input, Ctrl+D)");
                    continue;
                case ['/', ..]:
                    await io.Error.WriteLineAsync($"unknown command {line}: use /reset, /exit or /help (a message cannot start with '/').");
                    continue;
            }
            var clock = Stopwatch.StartNew();
            ChatReply reply;
            try
            {
                reply = await session.Send(client, line, io.Out, io.Error, cancellationToken);
            }
            catch (Errors.CocoonException e) when (e is not ClusterUnreachableException and not NoAccountException)
            {
                // A refused message (unknown model, no funds) leaves the conversation as it was: say what to do, go on.
                await io.Error.WriteLineAsync($"error: {e.Message}");
                continue;
            }
            await io.Out.WriteLineAsync();
            await io.Error.WriteLineAsync(reply.Failed is null ? Summary(reply, clock.Elapsed) : FailureLine(reply) + " The message was not kept: send it again.");
        }
    }

    private static string Summary(ChatReply r, TimeSpan elapsed) =>
        $"({r.Completed!.CompletionTokens} tokens, {TonAmount.Format(r.Completed.CostNano)} TON, {elapsed.TotalSeconds:0.00} s, finish {r.Completed.FinishReason}, job {r.JobId})";

    private static string FailureLine(ChatReply r) =>
        $"error: job {r.JobId} failed ({r.Failed!.Code}): {r.Failed.Message} Billed {TonAmount.Format(r.Failed.CostNano)} TON for {r.Failed.CompletionTokens} tokens.";

    private static string ReplyJson(ChatSession session, ChatReply r, long elapsedMs) => Hosting.Json.Object(w =>
    {
        w.WriteString("job_id", r.JobId);
        w.WriteString("model", session.Model);
        w.WriteString("reply", r.Text);
        if (r.Completed is { } c)
        {
            w.WriteString("finish_reason", c.FinishReason);
            w.WriteNumber("prompt_tokens", c.PromptTokens);
            w.WriteNumber("completion_tokens", c.CompletionTokens);
            w.WriteNumber("cost_nano", c.CostNano);
            w.WriteString("cost_ton", TonAmount.Format(c.CostNano));
        }
        else if (r.Failed is { } f)
        {
            w.WriteStartObject("error");
            w.WriteString("code", f.Code);
            w.WriteString("message", f.Message);
            w.WriteEndObject();
            w.WriteNumber("completion_tokens", f.CompletionTokens);
            w.WriteNumber("cost_nano", f.CostNano);
            w.WriteString("cost_ton", TonAmount.Format(f.CostNano));
        }
        if (r.ContinuationJobIds.Count > 0)
        {
            w.WriteStartArray("continuation_job_ids");
            foreach (var id in r.ContinuationJobIds) w.WriteStringValue(id);
            w.WriteEndArray();
        }
        w.WriteNumber("elapsed_ms", elapsedMs);
        w.WriteStartArray("messages");
        foreach (var m in session.Messages)
        {
            w.WriteStartObject();
            w.WriteString("role", m.Role);
            w.WriteString("content", m.Content);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
