using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cocoon.Silo.Storage;

/// <summary>
/// The writer connection's statements, prepared once and reused for every mutation: the transaction's BEGIN and COMMIT
/// too. Each statement only changes a row whose ETag matches the caller's, so a conflict changes nothing and the rest
/// of the batch still commits.
/// </summary>
/// <remarks>
/// The writer thread runs them through SQLite's own interface on the connection's handle. Through ADO.NET every
/// execution built a data reader, a statement enumerator and a binder per parameter, and every transaction parsed its
/// BEGIN and COMMIT again: about a tenth of the store's CPU for statements that never change.
/// </remarks>
internal sealed class SqliteWriteCommands : IDisposable
{
    // Parameter positions: every statement binds state and grain first.
    private const int State = 1, Grain = 2;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _update;
    private readonly sqlite3_stmt _clear;
    private readonly sqlite3_stmt _delete;
    private readonly sqlite3_stmt _selectETag;
    private readonly List<sqlite3_stmt> _all = [];

    public SqliteWriteCommands(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        try
        {
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            // Parameters: 1 state, 2 grain, 3 payload, 4 now.
            _insert = Prepare("""
                INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_on)
                VALUES (?1, ?2, 1, ?3, ?4)
                ON CONFLICT (state_name, grain_id) DO NOTHING
                """);
            // Parameters: 1 state, 2 grain, 3 payload, 4 now, 5 etag.
            _update = Prepare("""
                UPDATE grain_state SET etag = etag + 1, payload = ?3, modified_on = ?4
                WHERE state_name = ?1 AND grain_id = ?2 AND etag = ?5
                """);
            // Parameters: 1 state, 2 grain, 4 now, 5 etag.
            _clear = Prepare("""
                UPDATE grain_state SET etag = etag + 1, payload = NULL, modified_on = ?4
                WHERE state_name = ?1 AND grain_id = ?2 AND etag = ?5
                """);
            _delete = Prepare("DELETE FROM grain_state WHERE state_name = ?1 AND grain_id = ?2 AND etag = ?5");
            _selectETag = Prepare("SELECT etag FROM grain_state WHERE state_name = ?1 AND grain_id = ?2");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Starts the batch's transaction, taking the write lock now (SQLite's busy timeout applies).</summary>
    public void Begin() => Run(_begin);

    public void Commit() => Run(_commit);

    /// <summary>Undoes the open transaction, if SQLite has not already rolled it back after an error.</summary>
    public void RollbackIfOpen()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0) Run(_rollback);
    }

    /// <summary>Applies one mutation inside the batch's transaction.</summary>
    public MutationOutcome Apply(StateMutation mutation, long nowUnixMs)
    {
        switch (mutation.Kind)
        {
            case StateMutationKind.Write when mutation.ExpectedETag is null:
                return Execute(_insert, mutation, nowUnixMs, payload: true) == 1
                    ? new MutationOutcome(true, 1)
                    : Conflict(mutation);
            case StateMutationKind.Write:
                return Execute(_update, mutation, nowUnixMs, payload: true) == 1
                    ? new MutationOutcome(true, mutation.ExpectedETag + 1)
                    : Conflict(mutation);
            case StateMutationKind.Clear or StateMutationKind.Delete when mutation.ExpectedETag is null:
                // Clearing what was never written is a no-op; clearing a row one has not read is a conflict.
                var stored = SelectETag(mutation);
                return stored is null ? new MutationOutcome(true, null) : new MutationOutcome(false, stored);
            case StateMutationKind.Clear:
                return Execute(_clear, mutation, nowUnixMs, payload: false) == 1
                    ? new MutationOutcome(true, mutation.ExpectedETag + 1)
                    : Conflict(mutation);
            case StateMutationKind.Delete:
                return Execute(_delete, mutation, nowUnixMs, payload: false) == 1
                    ? new MutationOutcome(true, null)
                    : Conflict(mutation);
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation.Kind, "Unknown state mutation.");
        }
    }

    public void Dispose()
    {
        foreach (var statement in _all) statement.Dispose();
        _all.Clear();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out var statement), _db);
        _all.Add(statement);
        return statement;
    }

    /// <summary>Runs a statement that returns no rows; returns the rows it changed.</summary>
    private int Execute(sqlite3_stmt statement, StateMutation mutation, long nowUnixMs, bool payload)
    {
        Bind(statement, mutation);
        if (payload)
        {
            SqliteException.ThrowExceptionForRC(mutation.Payload is { } bytes
                ? raw.sqlite3_bind_blob(statement, 3, bytes)
                : raw.sqlite3_bind_null(statement, 3), _db);
        }

        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 4, nowUnixMs), _db);
        if (mutation.ExpectedETag is { } etag && statement != _insert)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, 5, etag), _db);
        }

        Run(statement);
        return raw.sqlite3_changes(_db);
    }

    private MutationOutcome Conflict(StateMutation mutation) => new(false, SelectETag(mutation));

    private long? SelectETag(StateMutation mutation)
    {
        Bind(_selectETag, mutation);
        try
        {
            var rc = raw.sqlite3_step(_selectETag);
            if (rc == raw.SQLITE_DONE) return null;
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
            return raw.sqlite3_column_int64(_selectETag, 0);
        }
        finally
        {
            raw.sqlite3_reset(_selectETag);
        }
    }

    private void Bind(sqlite3_stmt statement, StateMutation mutation)
    {
        raw.sqlite3_clear_bindings(statement);
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, State, mutation.StateName), _db);
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, Grain, mutation.GrainId), _db);
    }

    private void Run(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }
}
