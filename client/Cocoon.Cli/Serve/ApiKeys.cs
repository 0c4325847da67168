using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Cli.Serve;

/// <summary>
/// API keys as the endpoint keeps them: only sha256(key) in hex, each mapped to the account it bills. The file has one
/// <c>HASH ACCOUNT</c> per line; blank lines and <c>#</c> comments are skipped. Keys themselves are never stored or logged.
/// </summary>
public sealed class ApiKeys
{
    private readonly Dictionary<string, string> _accountByHash;

    private ApiKeys(Dictionary<string, string> accountByHash) => _accountByHash = accountByHash;

    public int Count => _accountByHash.Count;

    public static ApiKeys Load(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"the API keys file '{path}' does not exist.");
        return Parse(File.ReadAllLines(path), path);
    }

    public static ApiKeys Parse(IEnumerable<string> lines, string source = "API keys")
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[0].Length != 64 || !parts[0].All(Uri.IsHexDigit))
                throw new FormatException($"{source} line {number}: expected 'SHA256HEX ACCOUNT' (the key's sha256 as 64 hex digits, then the account).");
            if (!Cocoon.Wallets.Accounts.IsValid(parts[1]) || Cocoon.Wallets.Accounts.IsSystem(parts[1]))
                throw new FormatException($"{source} line {number}: '{parts[1]}' is not a client account id.");
            if (!map.TryAdd(parts[0].ToLowerInvariant(), parts[1]))
                throw new FormatException($"{source} line {number}: this key hash is listed twice.");
        }
        if (map.Count == 0) throw new FormatException($"{source} lists no key: add 'SHA256HEX ACCOUNT' lines.");
        return new ApiKeys(map);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The account a bearer key bills, or null when the key is unknown.</summary>
    public string? AccountFor(string key) => _accountByHash.GetValueOrDefault(Hash(key));
}
