using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cocoon.Silo.Storage;

/// <summary>
/// A pooled read-only connection with its prepared point lookup, run through SQLite's own interface on the
/// connection's handle (as the writer's statements are: no data reader or binder per read).
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _select;

    public SqliteReadConnection(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA query_only=1;";
                pragma.ExecuteNonQuery();
            }

            _db = _connection.Handle!;
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, "SELECT etag, payload FROM grain_state WHERE state_name = ?1 AND grain_id = ?2", out _select), _db);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public StoredState? Read(string stateName, string grainId)
    {
        try
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(_select, 1, stateName), _db);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(_select, 2, grainId), _db);
            var rc = raw.sqlite3_step(_select);
            if (rc == raw.SQLITE_DONE)
            {
                return null;
            }

            if (rc != raw.SQLITE_ROW)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            var etag = raw.sqlite3_column_int64(_select, 0);
            var payload = raw.sqlite3_column_type(_select, 1) == raw.SQLITE_NULL ? null : raw.sqlite3_column_blob(_select, 1).ToArray();
            return new StoredState(etag, payload);
        }
        finally
        {
            raw.sqlite3_reset(_select); // ends the read transaction, so the writer's checkpoints are not held back
        }
    }

    public void Dispose()
    {
        _select?.Dispose();
        _connection.Dispose();
    }
}
