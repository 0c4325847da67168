using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Jobs;

namespace Cocoon.Cli.Jobs;

/// <summary><c>cocoon run</c>: runs one job and streams its output (text for people, JSON Lines with --json).</summary>
public static class RunCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model to run.", DefaultValueFactory = _ => "echo" };
        var prompt = new Option<string?>("--prompt", "-p") { Description = "Prompt text; '-' reads it from stdin." };
        var promptFile = new Option<string?>("--prompt-file") { Description = "File holding the prompt (UTF-8); '-' reads stdin.", HelpName = "PATH" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Completion tokens at most.", DefaultValueFactory = _ => 256 }
            .Require(v => v > 0, "--max-tokens must be a positive integer.");
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy)." }
            .Require(v => v >= 0 && float.IsFinite(v), "--temperature must be a number ≥ 0.");
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling mass, in (0, 1].", DefaultValueFactory = _ => 1f }
            .Require(v => v is > 0 and <= 1, "--top-p must be in (0, 1].");
        var topK = new Option<int>("--top-k") { Description = "Sample among the k likeliest tokens (0 = off)." }
            .Require(v => v >= 0, "--top-k must not be negative.");
        var seed = new Option<ulong?>("--seed") { Description = "Sampling seed: the same seed and prompt give the same output." };
        var presence = new Option<float>("--presence-penalty") { Description = "Penalty for tokens already present." }
            .Require(float.IsFinite, "--presence-penalty must be a finite number.");
        var frequency = new Option<float>("--frequency-penalty") { Description = "Penalty growing with a token's frequency." }
            .Require(float.IsFinite, "--frequency-penalty must be a finite number.");
        var stop = new Option<string[]>("--stop") { Description = "Stop sequence (repeatable).", AllowMultipleArgumentsPerToken = false }
            .Require(v => v?.Any(string.IsNullOrEmpty) != true, "--stop must not be empty.");
        var maxCoefficient = new Option<int>("--max-coefficient") { Description = "Highest node price coefficient accepted (1000 = 1.0).", DefaultValueFactory = _ => 4_000 }
            .Require(v => v > 0, "--max-coefficient must be a positive integer (1000 = 1.0).");
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long the job may take, waiting for a node included: 90, 30s, 1500ms, 2m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (Durations.TryParse(text, out var value)) return value;
                r.AddError($"--timeout '{text}' is not a duration: use seconds (90) or a unit (1500ms, 30s, 2m, 1h), at most 24 h.");
                return default;
            },
        };
        var jobId = new Option<string?>("--job-id") { Description = "Job id (1-128 of A-Z a-z 0-9 . _ -); the same id replays the job, never bills it twice." }
            .Require(id => id is null || JobIds.IsValid(id), "--job-id must be 1 to 128 characters of A-Z a-z 0-9 . _ -");
        var account = AccountOption.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON Lines (one event per line) instead of text." };

        var command = new Command("run", "Run a job and stream its output.")
        {
            model, prompt, promptFile, maxTokens, temperature, topP, topK, seed, presence, frequency, stop, maxCoefficient, timeout, jobId, account, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var io = runner.IO;
            string text;
            try
            {
                text = ReadPrompt(parse.GetValue(prompt), parse.GetValue(promptFile), io.In);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            var request = new CocoonJobRequest
            {
                Prompt = text,
                Model = parse.GetValue(model),
                MaxTokens = parse.GetValue(maxTokens),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed),
                PresencePenalty = parse.GetValue(presence),
                FrequencyPenalty = parse.GetValue(frequency),
                Stop = parse.GetValue(stop),
                MaxCoefficient = parse.GetValue(maxCoefficient),
                Timeout = parse.GetValue(timeout),
                JobId = parse.GetValue(jobId),
            };
            var asJson = parse.GetValue(json);
            return await runner.Run(parse, parse.GetValue(account),
                client => Stream(client, request, asJson, io, cancellationToken), cancellationToken);
        });
        return command;
    }

    private static async Task<int> Stream(ICocoonClient client, CocoonJobRequest request, bool json, CliIO io, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tokens = 0;
        string? jobId = request.JobId;
        var wroteText = false;
        await foreach (var e in client.RunAsync(request, cancellationToken))
        {
            if (json)
            {
                await io.Out.WriteLineAsync(JobEventJson.Format(e, clock.ElapsedMilliseconds));
                await io.Out.FlushAsync(cancellationToken);
            }
            switch (e)
            {
                case CocoonJobAccepted a:
                    jobId = a.JobId;
                    break;
                case CocoonJobToken t:
                    tokens++;
                    if (!json)
                    {
                        await io.Out.WriteAsync(t.Text);
                        await io.Out.FlushAsync(cancellationToken);
                        wroteText = true;
                    }
                    break;
                case CocoonJobResumed r when !json:
                    await io.Error.WriteLineAsync(
                        $"{Environment.NewLine}note: job {r.FailedJobId} broke after {r.DeliveredTokens} tokens ({r.Reason}); continuing as job {r.ContinuationJobId} (billed so far {TonAmount.Format(r.BilledNano)} TON).");
                    break;
                case CocoonJobCompleted c:
                    if (!json)
                    {
                        if (wroteText) await io.Out.WriteLineAsync();
                        await io.Error.WriteLineAsync(
                            $"{c.CompletionTokens} tokens ({c.PromptTokens} prompt), {TonAmount.Format(c.CostNano)} TON, {clock.Elapsed.TotalSeconds:0.00} s, finish {c.FinishReason}, job {c.JobId}");
                    }
                    return ExitCodes.Success;
                case CocoonJobFailed f:
                    if (!json)
                    {
                        if (wroteText) await io.Out.WriteLineAsync();
                        await io.Error.WriteLineAsync(
                            $"error: job {f.JobId} failed ({f.Code}): {f.Message} Billed {TonAmount.Format(f.CostNano)} TON for {f.CompletionTokens} tokens.");
                    }
                    return ExitCodes.ForFailure(f.Code);
            }
        }
        await io.Error.WriteLineAsync($"error: job {jobId} ended without a result: check it with `cocoon jobs show {jobId}`.");
        return ExitCodes.Error;
    }

    /// <summary>The prompt from --prompt, --prompt-file or stdin ('-'); raises <see cref="FormatException"/> for a usage error.</summary>
    internal static string ReadPrompt(string? prompt, string? promptFile, TextReader stdin)
    {
        if (prompt is not null && promptFile is not null)
            throw new FormatException("give either --prompt or --prompt-file, not both.");
        var text = prompt is "-" || promptFile is "-" ? stdin.ReadToEnd()
            : promptFile is not null ? File.Exists(promptFile) ? File.ReadAllText(promptFile)
                : throw new FormatException($"the prompt file '{promptFile}' does not exist.")
            : prompt ?? throw new FormatException("no prompt: give --prompt TEXT, --prompt-file PATH, or --prompt - to read stdin.");
        if (string.IsNullOrWhiteSpace(text))
            throw new FormatException("the prompt is empty: send at least one non-blank character.");
        return text;
    }
}
