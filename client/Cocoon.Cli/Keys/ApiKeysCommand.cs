using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Cli.Serve;
using Cocoon.Hosting;
using Cocoon.Security;

namespace Cocoon.Cli.Keys;

/// <summary>
/// <c>cocoon apikeys</c>: API keys of the HTTP endpoint (<c>cocoon serve --api-keys FILE</c>). The file keeps only each
/// key's SHA-256, the account it bills and that account's key file; a new key is printed once and never stored.
/// </summary>
public static class ApiKeysCommand
{
    public static Command Create(CliIO io, GlobalOptions global)
    {
        Option<string?> File() => new("--file", "-f") { Description = "The API keys file (default: secrets/api-keys in the data directory).", HelpName = "FILE" };

        var createFile = File();
        var createJson = new Option<bool>("--json") { Description = "Print one JSON object." };
        var create = new Command("create", "Create an API key for the account of --key (default: the dev account); prints the key once.") { createFile, createJson };
        create.SetAction(parse => KeysCommand.Guard(io, () =>
        {
            var path = PathOf(parse, createFile, global);
            var keyFile = Path.GetFullPath(parse.GetValue(global.Key) ?? CocoonHome.DevAccountKeyFile(HomeOf(parse, global)));
            using var account = AccountKey.Load(keyFile);
            var apiKey = ApiKeys.NewKey();
            var lines = Read(path);
            lines.Add($"{ApiKeys.Hash(apiKey)} {account.AccountId} {keyFile}");
            Write(path, lines);
            if (parse.GetValue(createJson))
                io.Out.WriteLine(Json.Object(w =>
                {
                    w.WriteString("api_key", apiKey);
                    w.WriteString("hash", ApiKeys.Hash(apiKey));
                    w.WriteString("account", account.AccountId);
                    w.WriteString("file", path);
                }));
            else
                io.Out.WriteLine($"{apiKey}\n(account {account.AccountId}; only its hash is kept in {path}: store the key now, it is not shown again)");
            return ExitCodes.Success;
        }));

        var listFile = File();
        var listJson = new Option<bool>("--json") { Description = "Print one JSON object." };
        var list = new Command("list", "List API keys by hash prefix and account (keys themselves are never stored).") { listFile, listJson };
        list.SetAction(parse => KeysCommand.Guard(io, () =>
        {
            var path = PathOf(parse, listFile, global);
            var entries = ApiKeys.ParseEntries(Read(path), path, Path.GetDirectoryName(path)!, allowEmpty: true);
            if (parse.GetValue(listJson))
                io.Out.WriteLine(Json.Object(w =>
                {
                    w.WriteStartArray("keys");
                    foreach (var e in entries)
                    {
                        w.WriteStartObject();
                        w.WriteString("hash", e.HashHex);
                        w.WriteString("account", e.Account);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }));
            else
                foreach (var e in entries) io.Out.WriteLine($"{e.HashHex[..12]}  {e.Account}");
            return ExitCodes.Success;
        }));

        var revokeFile = File();
        var which = new Argument<string>("HASH|ACCOUNT") { Description = "A key's hash (or a prefix of 8+ hex digits, as `list` shows), or an account id: revokes its keys." };
        var revoke = new Command("revoke", "Revoke API keys; a running `cocoon serve` refuses them from its next request.") { revokeFile, which };
        revoke.SetAction(parse => KeysCommand.Guard(io, () =>
        {
            var path = PathOf(parse, revokeFile, global);
            var target = parse.GetValue(which)!.Trim();
            var byHash = target.Length >= 8 && target.All(Uri.IsHexDigit);
            var lines = Read(path);
            var kept = new List<string>();
            var removed = 0;
            foreach (var line in lines)
            {
                var parts = line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                var match = parts.Length >= 2 && !line.TrimStart().StartsWith('#')
                    && (byHash ? parts[0].StartsWith(target, StringComparison.OrdinalIgnoreCase) : parts[1] == target);
                if (match) removed++;
                else kept.Add(line);
            }
            if (removed == 0)
            {
                io.Error.WriteLine($"error: no API key in {path} matches '{target}'.");
                return ExitCodes.Usage;
            }
            Write(path, kept);
            io.Out.WriteLine($"revoked {removed} API key{(removed == 1 ? "" : "s")}.");
            return ExitCodes.Success;
        }));

        return new Command("apikeys", "API keys of the OpenAI-compatible endpoint: create, list, revoke.") { create, list, revoke };
    }

    private static string HomeOf(ParseResult parse, GlobalOptions global) => CocoonHome.Resolve(parse.GetValue(global.Home));

    private static string PathOf(ParseResult parse, Option<string?> file, GlobalOptions global) =>
        Path.GetFullPath(parse.GetValue(file) ?? Path.Combine(CocoonHome.Secrets(HomeOf(parse, global)), "api-keys"));

    private static List<string> Read(string path) =>
        System.IO.File.Exists(path) ? [.. SecretFiles.ReadText(path, "API keys").Split('\n', StringSplitOptions.RemoveEmptyEntries)] : ["# Cocoon API keys: SHA256(key) ACCOUNT KEYFILE. Manage with `cocoon apikeys`."];

    /// <summary>Replaces the file atomically, owner-only: a reader sees the old list or the new one, never half.</summary>
    private static void Write(string path, List<string> lines)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        SecretFiles.WriteNew(temp, string.Join('\n', lines) + "\n");
        System.IO.File.Move(temp, path, overwrite: true);
    }
}
