using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Cli.Serve;

/// <summary>
/// API keys as the endpoint keeps them: only sha256(key) in hex, each mapped to the account it bills and, optionally,
/// the account key file the endpoint signs that account's requests with (else the account must be the endpoint's own).
/// The file has one <c>HASH ACCOUNT [KEYFILE]</c> per line; blank lines and <c>#</c> comments are skipped. Keys
/// themselves are never stored or logged; lookups compare every hash in constant time. A loaded file is re-read when
/// it changes, so <c>cocoon apikeys revoke</c> takes effect on the next request.
/// </summary>
public sealed class ApiKeys
{
    public sealed record Entry(byte[] Hash, string Account, string? KeyFile)
    {
        public string HashHex => Convert.ToHexStringLower(Hash);
    }

    private volatile IReadOnlyList<Entry> _entries;
    private readonly string? _path;
    private DateTime _loadedWriteTime;

    private ApiKeys(IReadOnlyList<Entry> entries, string? path, DateTime writeTime)
    {
        _entries = entries;
        _path = path;
        _loadedWriteTime = writeTime;
    }

    public int Count => _entries.Count;

    public IReadOnlyList<Entry> Entries => _entries;

    /// <summary>Key files named in the file, for the accounts the endpoint signs for.</summary>
    public IEnumerable<string> KeyFiles => _entries.Select(e => e.KeyFile).OfType<string>().Distinct();

    public static ApiKeys Load(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"the API keys file '{path}' does not exist.");
        Security.SecretFiles.RequirePrivate(path, "API keys");
        var writeTime = File.GetLastWriteTimeUtc(path);
        return new ApiKeys(ParseEntries(File.ReadAllLines(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!), path, writeTime);
    }

    public static ApiKeys Parse(IEnumerable<string> lines, string source = "API keys") =>
        new(ParseEntries(lines, source, Environment.CurrentDirectory), null, default);

    /// <summary>Parses lines; an empty list is allowed only for a file being edited by <c>cocoon apikeys</c>.</summary>
    internal static IReadOnlyList<Entry> ParseEntries(IEnumerable<string> lines, string source, string baseDirectory, bool allowEmpty = false)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 2 or > 3 || parts[0].Length != 64 || !parts[0].All(Uri.IsHexDigit))
                throw new FormatException($"{source} line {number}: expected 'SHA256HEX ACCOUNT [KEYFILE]' (the key's sha256 as 64 hex digits, the account, its key file).");
            if (!Cocoon.Wallets.Accounts.IsValid(parts[1]) || Cocoon.Wallets.Accounts.IsSystem(parts[1]))
                throw new FormatException($"{source} line {number}: '{parts[1]}' is not a client account id.");
            if (!seen.Add(parts[0].ToLowerInvariant()))
                throw new FormatException($"{source} line {number}: this key hash is listed twice.");
            var keyFile = parts.Length == 3 ? Path.GetFullPath(parts[2], baseDirectory) : null;
            entries.Add(new Entry(Convert.FromHexString(parts[0]), parts[1], keyFile));
        }
        if (entries.Count == 0 && !allowEmpty) throw new FormatException($"{source} lists no key: add one with `cocoon apikeys create`.");
        return entries;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new random API key: <c>ck_</c> and 43 base64url characters (256 bits).</summary>
    public static string NewKey() => "ck_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The account a bearer key bills, or null when the key is unknown or revoked.</summary>
    public string? AccountFor(string key)
    {
        ReloadIfChanged();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        string? account = null;
        // Every stored hash is compared, in constant time: timing says nothing about which key, or how much of it, matched.
        foreach (var e in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, e.Hash)) account = e.Account;
        }
        return account;
    }

    private void ReloadIfChanged()
    {
        if (_path is null) return;
        try
        {
            var writeTime = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
            if (writeTime == _loadedWriteTime) return;
            // A deleted or emptied file revokes every key; a malformed one keeps the last good list (and a revoked key stays revoked only once it parses).
            _entries = writeTime == DateTime.MinValue ? [] : ParseEntries(File.ReadAllLines(_path), _path, Path.GetDirectoryName(Path.GetFullPath(_path))!, allowEmpty: true);
            _loadedWriteTime = writeTime;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            // Keep serving with the keys already loaded.
        }
    }
}
