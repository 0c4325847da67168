using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cocoon.Silo.Storage.Postgres;

/// <summary>
/// Creates and upgrades the PostgreSQL schema that Orleans' ADO.NET clustering, persistence and reminder providers
/// need (they ship none). Pending scripts run in one transaction under an advisory lock, so running it twice, or
/// from several silos at once, applies each script exactly once.
/// </summary>
public static partial class PostgresSchema
{
    // pg_advisory_xact_lock key: "cocoon" in ASCII, shared by every Cocoon process initializing the same database.
    private const long AdvisoryLockKey = 0x636F636F6F6E;

    /// <summary>The schema version this build creates.</summary>
    public static int LatestVersion => PostgresMigration.All.Count;

    /// <summary>Applies the scripts the database lacks. Safe to run at every deployment.</summary>
    public static async Task<PostgresSchemaResult> InitializeAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var builder = ParseConnectionString(connectionString);
        await using var connection = await OpenAsync(builder, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS cocoon_schema_version
            (
                version     integer     NOT NULL PRIMARY KEY,
                description text        NOT NULL,
                checksum    text        NOT NULL,
                applied_on  timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken).ConfigureAwait(false);

        var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var previous = applied.Count == 0 ? 0 : applied.Keys.Max();
        if (previous > LatestVersion)
        {
            throw new PostgresSchemaException(
                $"The database {Describe(builder)} has Cocoon schema version {previous}, newer than this silo's {LatestVersion}. " +
                "Upgrade this silo; never run an older silo against a newer schema.");
        }

        var newlyApplied = new List<int>();
        foreach (var migration in PostgresMigration.All)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                {
                    LogChecksumMismatch(logger, migration.Version, migration.Description);
                }

                continue;
            }

            LogApplying(logger, migration.Version, migration.Description, Describe(builder));
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO cocoon_schema_version (version, description, checksum) VALUES (@version, @description, @checksum)",
                connection,
                transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("description", migration.Description);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            newlyApplied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var current = Math.Max(previous, newlyApplied.Count == 0 ? 0 : newlyApplied[^1]);
        LogInitialized(logger, Describe(builder), previous, current);
        return new PostgresSchemaResult(previous, current, newlyApplied);
    }

    /// <summary>The database's schema version: 0 when Cocoon never initialized it.</summary>
    public static async Task<int> GetVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = ParseConnectionString(connectionString);
        await using var connection = await OpenAsync(builder, cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('cocoon_schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM cocoon_schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new PostgresSchemaException(
                "No PostgreSQL connection string: set ConnectionStrings__Cocoon (or the configuration key ConnectionStrings:Cocoon).");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The message of a parse error can quote the string; never echo it, it may hold a password.
            throw new PostgresSchemaException($"The PostgreSQL connection string is malformed: {exception.GetType().Name}. Expected Host=...;Database=...;Username=...", exception);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new PostgresSchemaException($"Cannot connect to PostgreSQL {Describe(builder)}: {exception.Message}", exception);
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM cocoon_schema_version", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Host, port, database and user: enough to find the database, never the password.
    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying Cocoon schema script {Version} ({Description}) to {Database}")]
    private static partial void LogApplying(ILogger logger, int version, string description, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cocoon schema of {Database}: version {Previous} -> {Current}")]
    private static partial void LogInitialized(ILogger logger, string database, int previous, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cocoon schema script {Version} ({Description}) differs from the one applied to this database; scripts must never be edited once released, add a new one")]
    private static partial void LogChecksumMismatch(ILogger logger, int version, string description);
}
