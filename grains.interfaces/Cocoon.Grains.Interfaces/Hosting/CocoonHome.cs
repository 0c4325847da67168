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

    /// <summary>File holding the dev profile's account id.</summary>
    public static string DevAccountFile(string home) => Path.Combine(home, "dev-account");

    /// <summary>File the running silo writes with its endpoints (gateway port, HTTP port, cluster id).</summary>
    public static string EndpointsFile(string home) => Path.Combine(home, "endpoints.json");

    public static string GrainStore(string home) => Path.Combine(home, "grains.db");
}
