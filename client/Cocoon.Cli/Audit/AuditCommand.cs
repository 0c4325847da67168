using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Wallets;

namespace Cocoon.Cli.Audit;

/// <summary>
/// <c>cocoon audit --account ID</c>: the operator's view of an account's ledger, each entry with its actor and the
/// signature that authorized it. Reads the silo's operator HTTP port (loopback), not the client gateway.
/// </summary>
public static class AuditCommand
{
    public static Command Create(CliIO io, GlobalOptions global)
    {
        var account = new Option<string>("--account", "-a") { Description = "Any account id, system and owner accounts included.", HelpName = "ID", Required = true };
        account.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } id && !Accounts.IsValid(id)) r.AddError($"--account '{id}' is not an account id.");
        });
        var limit = new Option<int>("--limit", "-n") { Description = "Latest entries to show (1 to 1000).", DefaultValueFactory = _ => 50 }
            .Require(v => v is >= 1 and <= 1000, "--limit must be between 1 and 1000.");
        var silo = new Option<string?>("--silo") { Description = "The silo's operator HTTP address (default: the running silo's, from the data directory).", HelpName = "URL" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("audit", "Operators: an account's ledger entries with actor and signature (from the silo's HTTP port).") { account, limit, silo, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (exit, body) = await OperatorPort.SendAsync(io, parse.GetValue(silo), parse.GetValue(global.Home),
                (http, baseUrl, ct) => http.GetAsync($"{baseUrl}/audit/{Uri.EscapeDataString(parse.GetValue(account)!)}?limit={parse.GetValue(limit)}", ct),
                cancellationToken);
            if (exit != ExitCodes.Success) return exit;
            if (parse.GetValue(json))
            {
                await io.Out.WriteLineAsync(body!.ToJsonString());
                return ExitCodes.Success;
            }
            await io.Out.WriteLineAsync($"account {body!["account"]}  balance {body["balance_nano"]} nanoTON  reserved {body["reserved_nano"]}");
            foreach (var e in body["entries"]!.AsArray())
                await io.Out.WriteLineAsync($"{e!["sequence"],6} {e["at"]} {e["kind"],-10} {e["amount_nano"],16} {e["external_id"]}  by {e["actor"]}{((string?)e["signature"] is null ? "" : "  signed")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
