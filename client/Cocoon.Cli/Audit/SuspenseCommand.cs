using System.CommandLine;
using Cocoon.Cli.Hosting;

namespace Cocoon.Cli.Audit;

/// <summary>
/// <c>cocoon suspense pay|drop --item JOB/ACCOUNT</c>: the operator's answer to a settlement share booked to
/// <c>system:suspense</c> because its account's wallet could not tell whether it had been paid (docs/operations.md,
/// "The ledger's idempotency window"). Posts to the silo's operator HTTP port (loopback), like <c>cocoon audit</c>.
/// </summary>
public static class SuspenseCommand
{
    public static Command Create(CliIO io, GlobalOptions global)
    {
        var command = new Command("suspense", "Operators: pay or drop a settlement share held in system:suspense (after reading the account's ledger).");
        command.Subcommands.Add(Answer(io, global, "pay", "Move the share to its account (written off instead if the account was paid already)."));
        command.Subcommands.Add(Answer(io, global, "drop", "Write the share off: the account's ledger shows the job paid."));
        return command;
    }

    private static Command Answer(CliIO io, GlobalOptions global, string name, string description)
    {
        var item = new Option<string>("--item", "-i") { Description = "The share's id, <job id>/<account>, as its suspense entry names it.", HelpName = "JOB/ACCOUNT", Required = true };
        item.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } id && id.LastIndexOf('/') <= 0) r.AddError($"--item '{id}' is not <job id>/<account>.");
        });
        var silo = new Option<string?>("--silo") { Description = "The silo's operator HTTP address (default: the running silo's, from the data directory).", HelpName = "URL" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command(name, description) { item, silo, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (exit, body) = await OperatorPort.SendAsync(io, parse.GetValue(silo), parse.GetValue(global.Home),
                (http, baseUrl, ct) => http.PostAsync($"{baseUrl}/admin/suspense/{name}?item={Uri.EscapeDataString(parse.GetValue(item)!)}", null, ct),
                cancellationToken);
            if (exit != ExitCodes.Success) return exit;
            await io.Out.WriteLineAsync(parse.GetValue(json)
                ? body!.ToJsonString()
                : $"{body!["outcome"]}: {body["kind"]} of job {body["job_id"]}, {body["amount_nano"]} nanoTON, for {body["account"]}");
            return ExitCodes.Success;
        });
        return command;
    }
}
