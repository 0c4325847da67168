using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Jobs;
using Spectre.Console;

namespace Cocoon.Cli.Jobs;

/// <summary><c>cocoon jobs show|cancel JOBID</c>: one job of the account.</summary>
public static class JobsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("jobs", "Inspect or cancel a job of the account.");
        command.Add(Show(runner));
        command.Add(Cancel(runner));
        return command;
    }

    private static Argument<string> JobIdArgument()
    {
        var argument = new Argument<string>("JOBID") { Description = "The job's id (printed in the `accepted` event of `cocoon run --json`)." };
        argument.Validators.Add(r => { if (r.GetValueOrDefault<string>() is var id && !JobIds.IsValid(id)) r.AddError($"'{id}' is not a job id: 1 to 128 characters of A-Z a-z 0-9 . _ -"); });
        return argument;
    }

    private static Command Show(CommandRunner runner)
    {
        var jobId = JobIdArgument();
        var account = AccountOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("show", "Show a job's status, node, tokens and cost.") { jobId, account, json };
        command.SetAction((parse, cancellationToken) => runner.Run(parse, parse.GetValue(account), async client =>
        {
            var status = await client.GetJobAsync(parse.GetValue(jobId)!, cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                await runner.IO.Out.WriteLineAsync(ToJson(status));
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Field", "Value");
            table.AddRow("Job", Markup.Escape(status.JobId));
            table.AddRow("Status", Phase(status.Phase));
            table.AddRow("Model", Markup.Escape(status.Model));
            table.AddRow("Node", Markup.Escape(status.NodeId ?? "-"));
            table.AddRow("Attempts", status.Attempts.ToString());
            table.AddRow("Completion tokens", status.CompletionTokens.ToString());
            table.AddRow("Cost (TON)", TonAmount.Format(status.CostNano));
            table.AddRow("Created (UTC)", status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            if (status.FailureCode is { } code) table.AddRow("Failure", Markup.Escape(code));
            Tables.Console(runner.IO.Out).Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Cancel(CommandRunner runner)
    {
        var jobId = JobIdArgument();
        var account = AccountOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("cancel", "Cancel a running job: what its last receipt covers is billed, the rest released.") { jobId, account, json };
        command.SetAction((parse, cancellationToken) => runner.Run(parse, parse.GetValue(account), async client =>
        {
            var id = parse.GetValue(jobId)!;
            await client.CancelJobAsync(id, cancellationToken: cancellationToken);
            var status = await client.GetJobAsync(id, cancellationToken: cancellationToken);
            if (parse.GetValue(json))
                await runner.IO.Out.WriteLineAsync(ToJson(status));
            else
                await runner.IO.Out.WriteLineAsync(status.Phase == JobPhase.Running
                    ? $"Cancellation of job {id} requested."
                    : $"Job {id} is {Phase(status.Phase)}: nothing left to cancel.");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    internal static string Phase(JobPhase phase) => phase.ToString().ToLowerInvariant();

    internal static string ToJson(JobStatus s) => Json.Object(w =>
    {
        w.WriteString("job_id", s.JobId);
        w.WriteString("status", Phase(s.Phase));
        w.WriteString("model", s.Model);
        if (s.NodeId is null) w.WriteNull("node_id"); else w.WriteString("node_id", s.NodeId);
        w.WriteNumber("attempts", s.Attempts);
        w.WriteNumber("completion_tokens", s.CompletionTokens);
        w.WriteNumber("cost_nano", s.CostNano);
        w.WriteString("cost_ton", TonAmount.Format(s.CostNano));
        w.WriteString("created_at", s.CreatedAt.UtcDateTime.ToString("O"));
        if (s.FailureCode is null) w.WriteNull("failure_code"); else w.WriteString("failure_code", s.FailureCode);
    });
}
