using Microsoft.Data.Sqlite;

namespace Cocoon.Silo.Storage;

/// <summary>A pooled read-only connection with its prepared point lookup.</summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;

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

            _select = _connection.CreateCommand();
            _select.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain";
            _select.Parameters.Add("$state", SqliteType.Text);
            _select.Parameters.Add("$grain", SqliteType.Text);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public StoredState? Read(string stateName, string grainId)
    {
        _select.Parameters["$state"].Value = stateName;
        _select.Parameters["$grain"].Value = grainId;
        using var row = _select.ExecuteReader();
        if (!row.Read())
        {
            return null;
        }

        var etag = row.GetInt64(0);
        var payload = row.IsDBNull(1) ? null : row.GetFieldValue<byte[]>(1);
        return new StoredState(etag, payload);
    }

    public void Dispose()
    {
        _select.Dispose();
        _connection.Dispose();
    }
}
