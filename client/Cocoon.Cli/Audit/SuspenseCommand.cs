using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cocoon.Cli.Hosting;
using Cocoon.Hosting;

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
            var baseUrl = parse.GetValue(silo) ?? AuditCommand.LocalSilo(CocoonHome.Resolve(parse.GetValue(global.Home)));
            if (baseUrl is null)
            {
                await io.Error.WriteLineAsync("error: no running silo found in the data directory: pass --silo http://HOST:PORT (its operator HTTP port).");
                return ExitCodes.ClusterUnreachable;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            JsonNode? body;
            try
            {
                using var response = await http.PostAsync($"{baseUrl.TrimEnd('/')}/admin/suspense/{name}?item={Uri.EscapeDataString(parse.GetValue(item)!)}", null, cancellationToken);
                body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    await io.Error.WriteLineAsync($"error: {(string?)body?["error"] ?? response.ReasonPhrase}");
                    return response.StatusCode == System.Net.HttpStatusCode.Conflict ? ExitCodes.Error : ExitCodes.Usage;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                await io.Error.WriteLineAsync($"error: the silo at {baseUrl} did not answer ({e.Message}).");
                return ExitCodes.ClusterUnreachable;
            }
            await io.Out.WriteLineAsync(parse.GetValue(json)
                ? body!.ToJsonString()
                : $"{body!["outcome"]}: {body["kind"]} of job {body["job_id"]}, {body["amount_nano"]} nanoTON, for {body["account"]}");
            return ExitCodes.Success;
        });
        return command;
    }
}
