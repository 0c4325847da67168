using System.CommandLine;
using Cocoon.Cli.Hosting;

namespace Cocoon.Cli.Serve;

/// <summary><c>cocoon serve</c>: an OpenAI-compatible HTTP endpoint over this client, until Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create(CommandRunner runner)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, as http://HOST:PORT (several separated by ';'). Without --api-keys only loopback is allowed.",
            DefaultValueFactory = _ => OpenAiServer.DefaultUrls,
            HelpName = "URLS",
        };
        var apiKeys = new Option<string?>("--api-keys")
        {
            Description = "API keys file (`cocoon apikeys create`): requires 'Authorization: Bearer KEY' and bills and signs for the key's account.",
            HelpName = "FILE",
        };
        var account = AccountOption.Create();
        // A silo that starts serve as its child passes its pid: a silo killed hard must not leave serve holding the port.
        var exitWith = new Option<int?>("--exit-with") { Description = "Stop when the process with this id exits.", HelpName = "PID", Hidden = true };
        var command = new Command("serve", "Serve an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models).") { urls, apiKeys, account, exitWith };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ApiKeys? keys;
            try
            {
                keys = parse.GetValue(apiKeys) is { } file ? ApiKeys.Load(file) : null;
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                runner.IO.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            return await runner.Run(parse, parse.GetValue(account), async client =>
            {
                await using var app = OpenAiServer.Build(client, parse.GetValue(urls)!, keys);
                await app.StartAsync(cancellationToken);
                var billing = keys is null ? $"billing account {client.Connection.AccountId ?? "(none)"}" : $"{keys.Count} API keys";
                await runner.IO.Error.WriteLineAsync($"Serving the OpenAI-compatible API on {parse.GetValue(urls)} ({billing}); Ctrl+C stops.");
                try
                {
                    if (parse.GetValue(exitWith) is int pid) await ParentExit(pid, cancellationToken);
                    else await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop serving and return normally.
                }
                await app.StopAsync(CancellationToken.None);
                return ExitCodes.Success;
            }, cancellationToken, o =>
            {
                // The endpoint signs on behalf of each API key's account: it holds their keys.
                foreach (var file in keys?.KeyFiles ?? []) o.AccountKeys.Add(Security.AccountKey.Load(file));
            });
        });
        return command;
    }

    private static async Task ParentExit(int pid, CancellationToken cancellationToken)
    {
        System.Diagnostics.Process parent;
        try
        {
            parent = System.Diagnostics.Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }
        using (parent) await parent.WaitForExitAsync(cancellationToken);
    }
}
