namespace Cocoon.Hosting;

/// <summary>
/// The data directory: <c>$COCOON_HOME</c>, or <c>~/.cocoon</c> when unset. The silo creates what the dev profile
/// needs there on first start; the CLI and <c>cocoon serve</c> read it, so each finds the others unconfigured.
/// </summary>
public static class CocoonHome
{
    public const string EnvironmentVariable = "COCOON_HOME";

    public static string Resolve(string? configured = null)
    {
        var path = configured;
        if (string.IsNullOrWhiteSpace(path)) path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(path))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cocoon");
        return Path.GetFullPath(path);
    }

    /// <summary>File holding the dev profile's account id (derived from its key; for scripts).</summary>
    public static string DevAccountFile(string home) => Path.Combine(home, "dev-account");

    /// <summary>Secrets of the dev profile (keys, API keys): a folder readable by its owner only.</summary>
    public static string Secrets(string home) => Path.Combine(home, "secrets");

    /// <summary>The dev account's Ed25519 key (mode 0600); the CLI and <c>cocoon serve</c> sign with it by default.</summary>
    public static string DevAccountKeyFile(string home) => Path.Combine(Secrets(home), "dev-account.key");

    /// <summary>File the running silo writes with its endpoints (gateway port, HTTP port, cluster id).</summary>
    public static string EndpointsFile(string home) => Path.Combine(home, "endpoints.json");

    public static string GrainStore(string home) => Path.Combine(home, "grains.db");
}
