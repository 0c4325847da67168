using Microsoft.Data.Sqlite;

namespace Cocoon.Silo.Storage;

/// <summary>
/// The writer connection's statements, prepared once and reused for every mutation. Each statement only changes a row
/// whose ETag matches the caller's, so a conflict changes nothing and the rest of the batch still commits.
/// </summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _clear;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _selectETag;

    public SqliteWriteCommands(SqliteConnection connection)
    {
        _insert = Create(connection, """
            INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_on)
            VALUES ($state, $grain, 1, $payload, $now)
            ON CONFLICT (state_name, grain_id) DO NOTHING
            """, withETag: false, withPayload: true);
        _update = Create(connection, """
            UPDATE grain_state SET etag = etag + 1, payload = $payload, modified_on = $now
            WHERE state_name = $state AND grain_id = $grain AND etag = $etag
            """, withETag: true, withPayload: true);
        _clear = Create(connection, """
            UPDATE grain_state SET etag = etag + 1, payload = NULL, modified_on = $now
            WHERE state_name = $state AND grain_id = $grain AND etag = $etag
            """, withETag: true, withPayload: false);
        _delete = Create(connection, """
            DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag
            """, withETag: true, withPayload: false);
        _selectETag = Create(connection, """
            SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain
            """, withETag: false, withPayload: false);
    }

    /// <summary>Applies one mutation inside the batch's transaction.</summary>
    public MutationOutcome Apply(StateMutation mutation, SqliteTransaction transaction, long nowUnixMs)
    {
        switch (mutation.Kind)
        {
            case StateMutationKind.Write when mutation.ExpectedETag is null:
                return Execute(_insert, mutation, transaction, nowUnixMs) == 1
                    ? new MutationOutcome(true, 1)
                    : Conflict(mutation, transaction);
            case StateMutationKind.Write:
                return Execute(_update, mutation, transaction, nowUnixMs) == 1
                    ? new MutationOutcome(true, mutation.ExpectedETag + 1)
                    : Conflict(mutation, transaction);
            case StateMutationKind.Clear or StateMutationKind.Delete when mutation.ExpectedETag is null:
                // Clearing what was never written is a no-op; clearing a row one has not read is a conflict.
                var stored = SelectETag(mutation, transaction);
                return stored is null ? new MutationOutcome(true, null) : new MutationOutcome(false, stored);
            case StateMutationKind.Clear:
                return Execute(_clear, mutation, transaction, nowUnixMs) == 1
                    ? new MutationOutcome(true, mutation.ExpectedETag + 1)
                    : Conflict(mutation, transaction);
            case StateMutationKind.Delete:
                return Execute(_delete, mutation, transaction, nowUnixMs) == 1
                    ? new MutationOutcome(true, null)
                    : Conflict(mutation, transaction);
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation.Kind, "Unknown state mutation.");
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
        _clear.Dispose();
        _delete.Dispose();
        _selectETag.Dispose();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, bool withETag, bool withPayload)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$state", SqliteType.Text);
        command.Parameters.Add("$grain", SqliteType.Text);
        if (sql.Contains("$now", StringComparison.Ordinal))
        {
            command.Parameters.Add("$now", SqliteType.Integer);
        }

        if (withETag)
        {
            command.Parameters.Add("$etag", SqliteType.Integer);
        }

        if (withPayload)
        {
            command.Parameters.Add("$payload", SqliteType.Blob);
        }

        return command;
    }

    private static int Execute(SqliteCommand command, StateMutation mutation, SqliteTransaction transaction, long nowUnixMs)
    {
        Bind(command, mutation, transaction);
        if (command.Parameters.Contains("$now"))
        {
            command.Parameters["$now"].Value = nowUnixMs;
        }

        if (command.Parameters.Contains("$etag"))
        {
            command.Parameters["$etag"].Value = mutation.ExpectedETag;
        }

        if (command.Parameters.Contains("$payload"))
        {
            command.Parameters["$payload"].Value = (object?)mutation.Payload ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    private MutationOutcome Conflict(StateMutation mutation, SqliteTransaction transaction) =>
        new(false, SelectETag(mutation, transaction));

    private long? SelectETag(StateMutation mutation, SqliteTransaction transaction)
    {
        Bind(_selectETag, mutation, transaction);
        return _selectETag.ExecuteScalar() is long etag ? etag : null;
    }

    private static void Bind(SqliteCommand command, StateMutation mutation, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        command.Parameters["$state"].Value = mutation.StateName;
        command.Parameters["$grain"].Value = mutation.GrainId;
    }
}
