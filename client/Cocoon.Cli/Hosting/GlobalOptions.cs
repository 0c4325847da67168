using System.CommandLine;
using Cocoon.Client;

namespace Cocoon.Cli.Hosting;

/// <summary>Options every command takes: where the network is and which data directory to read.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = "Client gateway as HOST:PORT (default: the running silo's, from the data directory, else 127.0.0.1:30000).",
        HelpName = "HOST:PORT",
        Recursive = true,
    };

    public Option<string?> Home { get; } = new("--home")
    {
        Description = "Data directory (overrides COCOON_HOME; default ~/.cocoon).",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "Account key file to sign with (default: the dev account key in the data directory; see `cocoon keys`).",
        HelpName = "FILE",
        Recursive = true,
    };

    public GlobalOptions()
    {
        Gateway.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is null) return;
            try { GatewayAddress.Parse(value); }
            catch (FormatException e) { result.AddError(e.Message); }
        });
    }

    public void AddTo(Command root)
    {
        root.Add(Gateway);
        root.Add(Home);
        root.Add(Key);
    }

    /// <summary>Client options from the global options and, when given, the command's --account.</summary>
    public Action<CocoonClientOptions> Configure(ParseResult parse, string? account = null) => o =>
    {
        o.Home = parse.GetValue(Home);
        if (parse.GetValue(Gateway) is { } gateway) o.Gateways = [gateway];
        if (parse.GetValue(Key) is { } key) o.AccountKeyFile = key;
        if (!string.IsNullOrWhiteSpace(account)) o.AccountId = account;
    };
}
