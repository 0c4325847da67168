using Cocoon.Silo.Storage.Postgres;
using Npgsql;

namespace Cocoon.Silo.Hosting;

/// <summary>The <c>db init</c> verb: creates or upgrades the PostgreSQL schema, prints what it did, and exits.</summary>
public static class DatabaseInit
{
    /// <summary>0 when the schema is current, 2 when no connection string is configured, 1 when the database refused.</summary>
    public static async Task<int> RunAsync(string? connectionString, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync(SiloSettings.MissingConnectionString);
            return 2;
        }

        try
        {
            var result = await PostgresSchema.InitializeAsync(connectionString, cancellationToken: cancellationToken);
            Console.WriteLine(result.Applied.Count == 0
                ? $"The Cocoon schema is current (version {result.CurrentVersion})."
                : $"The Cocoon schema went from version {result.PreviousVersion} to {result.CurrentVersion} (applied {string.Join(", ", result.Applied)}).");
            return 0;
        }
        catch (Exception e) when (e is PostgresSchemaException or NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"db init failed: {e.Message}");
            return 1;
        }
    }
}
