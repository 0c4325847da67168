using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Hosting;
using Cocoon.Security;

namespace Cocoon.Cli.Keys;

/// <summary><c>cocoon keys</c>: create an account key (Ed25519) and show the account it derives. Offline.</summary>
public static class KeysCommand
{
    public static Command Create(CliIO io, GlobalOptions global)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the new key (created mode 0600; never overwritten).", HelpName = "FILE", Required = true };
        var create = new Command("create", "Create a new account key; prints its account id (deposit to it to fund it).") { output, json };
        create.SetAction(parse => Guard(io, () =>
        {
            using var key = AccountKey.Create();
            key.Save(parse.GetValue(output)!);
            Print(io, key, Path.GetFullPath(parse.GetValue(output)!), parse.GetValue(json));
            return ExitCodes.Success;
        }));

        var showJson = new Option<bool>("--json") { Description = "Print one JSON object." };
        var show = new Command("show", "Show the account id and public key of a key file (--key; default: the dev account key).") { showJson };
        show.SetAction(parse => Guard(io, () =>
        {
            var path = parse.GetValue(global.Key) ?? CocoonHome.DevAccountKeyFile(CocoonHome.Resolve(parse.GetValue(global.Home)));
            using var key = AccountKey.Load(path);
            Print(io, key, Path.GetFullPath(path), parse.GetValue(showJson));
            return ExitCodes.Success;
        }));
        return new Command("keys", "Account keys: every request is signed by its account's key.") { create, show };
    }

    private static void Print(CliIO io, AccountKey key, string path, bool json)
    {
        if (json)
            io.Out.WriteLine(Json.Object(w =>
            {
                w.WriteString("account", key.AccountId);
                w.WriteString("public_key", Convert.ToHexStringLower(key.PublicKey));
                w.WriteString("file", path);
            }));
        else
            io.Out.WriteLine($"account     {key.AccountId}\npublic key  {Convert.ToHexStringLower(key.PublicKey)}\nfile        {path}");
    }

    internal static int Guard(CliIO io, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return e is FormatException ? ExitCodes.Usage : e is FileNotFoundException or InsecureSecretFileException ? ExitCodes.NoAccount : ExitCodes.Error;
        }
    }
}
