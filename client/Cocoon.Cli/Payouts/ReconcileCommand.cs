using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cocoon.Cli.Audit;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Hosting;

namespace Cocoon.Cli.Payouts;

/// <summary>
/// <c>cocoon reconcile</c>: asks the silo on this machine (its loopback HTTP port, from the data directory) to reconcile
/// the ledger with the chain and prints the report. Exit code 0 when clean, <see cref="ExitCodes.Discrepancies"/> when not.
/// </summary>
public static class ReconcileCommand
{
    public static Command Create(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object." };
        var silo = new Option<string?>("--silo-url")
        {
            Description = "The silo's HTTP root (default: http://127.0.0.1:HTTP_PORT of the running silo in the data directory, else 8081).",
            HelpName = "URL",
        };
        var command = new Command("reconcile", "Check the ledger against the chain: deposits, payouts, the treasury's balance.") { json, silo };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var root = parse.GetValue(silo) ?? DefaultSiloUrl(parse.GetValue(runner.Global.Home));
                using var http = new HttpClient { BaseAddress = new Uri(root.EndsWith('/') ? root : root + "/"), Timeout = TimeSpan.FromMinutes(10) };
                JsonObject report;
                try
                {
                    report = await http.GetFromJsonAsync<JsonObject>("admin/reconcile", cancellationToken)
                        ?? throw new FormatException("The silo answered an empty reconciliation report.");
                }
                catch (HttpRequestException e)
                {
                    await runner.IO.Error.WriteLineAsync($"error: cannot reach the silo at {root}: {e.Message}. Is it running (dotnet run --project silo)?");
                    return ExitCodes.ClusterUnreachable;
                }
                var discrepancies = report["discrepancies"]?.GetValue<int>() ?? throw new FormatException("The report has no discrepancy count.");
                if (parse.GetValue(json))
                    await runner.IO.Out.WriteLineAsync(report.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                else
                    await Render(runner.IO.Out, report, discrepancies);
                return discrepancies == 0 ? ExitCodes.Success : ExitCodes.Discrepancies;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return runner.Fail(e);
            }
        });
        return command;
    }

    // A stale or missing endpoints file: the default port is the best guess.
    private static string DefaultSiloUrl(string? home) => (OperatorPort.LocalSilo(CocoonHome.Resolve(home)) ?? "http://127.0.0.1:8081") + "/";

    private static async Task Render(TextWriter output, JsonObject report, int discrepancies)
    {
        await output.WriteLineAsync(discrepancies == 0 ? "Reconciliation: clean." : $"Reconciliation: {discrepancies} discrepancies.");
        foreach (var check in report["checks"]?.AsArray() ?? [])
            await output.WriteLineAsync($"  [{(check!["ok"]!.GetValue<bool>() ? "ok" : "FAIL")}] {check["name"]}: {check["detail"]}");
        var t = report["treasury"]!;
        await output.WriteLineAsync($"  treasury {TonAmount.Format(t["treasury_balance_nano"]!.GetValue<long>())} TON, deposit wallet {TonAmount.Format(t["deposit_wallet_balance_nano"]!.GetValue<long>())} TON, " +
            $"owed {TonAmount.Format(t["liabilities_nano"]!.GetValue<long>())} TON, in flight {TonAmount.Format(t["in_flight_nano"]!.GetValue<long>())} TON, surplus {TonAmount.Format(t["surplus_nano"]!.GetValue<long>())} TON");
        var accounts = report["accounts"]?.AsArray() ?? [];
        await output.WriteLineAsync($"  {accounts.Count} accounts, {report["transactions_read"]} transactions read in {report["elapsed_ms"]!.GetValue<double>():0} ms");
        foreach (var a in accounts)
            foreach (var problem in a!["problems"]?.AsArray() ?? [])
                await output.WriteLineAsync($"  [FAIL] {a["account_id"]}: {problem}");
    }
}
