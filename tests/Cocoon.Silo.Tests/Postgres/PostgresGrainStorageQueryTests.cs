using System.Data;
using Cocoon.Silo.Storage.Postgres;
using Npgsql;

namespace Cocoon.Silo.Tests.Postgres;

/// <summary>
/// The ETag contract of the storage queries, run the way Orleans' AdoNetGrainStorage runs them: the text from
/// OrleansQuery, parameters by name with the DbTypes the provider uses, the new version read from the result.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageQueryTests(PostgresFixture postgres) : IAsyncLifetime
{
    private NpgsqlConnection _connection = null!;
    private Dictionary<string, string> _queries = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await PostgresSchema.InitializeAsync(connectionString);
        _connection = new NpgsqlConnection(connectionString);
        await _connection.OpenAsync();
        _queries = [];
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", _connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _queries[reader.GetString(0)] = reader.GetString(1);
        }
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Versions_advance_only_from_the_stored_version()
    {
        Assert.Equal(1, await WriteAsync(version: null, payload: [1]));
        Assert.Null(await WriteAsync(version: null, payload: [9]));
        Assert.Equal(2, await WriteAsync(version: 1, payload: [2]));
        Assert.Null(await WriteAsync(version: 1, payload: [9]));
        Assert.Null(await WriteAsync(version: 7, payload: [9]));

        var (payload, version) = await ReadAsync() ?? throw new InvalidOperationException("row expected");
        Assert.Equal([2], payload);
        Assert.Equal(2, version);
    }

    [Fact]
    public async Task Clear_keeps_a_versioned_tombstone_and_delete_removes_the_row()
    {
        Assert.Equal(1, await WriteAsync(version: null, payload: [1]));
        Assert.Empty(await RunAsync("ClearStorageKey", version: 5, payload: null));
        Assert.Equal([2], await RunAsync("ClearStorageKey", version: 1, payload: null));

        var (payload, version) = await ReadAsync() ?? throw new InvalidOperationException("row expected");
        Assert.Null(payload);
        Assert.Equal(2, version);
        Assert.Null(await WriteAsync(version: null, payload: [3]));
        Assert.Equal(3, await WriteAsync(version: 2, payload: [3]));

        Assert.Empty(await RunAsync("DeleteStorageKey", version: 2, payload: null));
        Assert.Equal([4], await RunAsync("DeleteStorageKey", version: 3, payload: null));
        Assert.Null(await ReadAsync());
        Assert.Equal(1, await WriteAsync(version: null, payload: [5]));
    }

    [Fact]
    public async Task Grains_differing_only_in_key_extension_are_separate()
    {
        Assert.Equal(1, await WriteAsync(version: null, payload: [1], extension: null));
        Assert.Equal(1, await WriteAsync(version: null, payload: [2], extension: "ext"));
        Assert.Equal([1], (await ReadAsync(extension: null))?.Payload);
        Assert.Equal([2], (await ReadAsync(extension: "ext"))?.Payload);
    }

    private async Task<int?> WriteAsync(int? version, byte[] payload, string? extension = null)
    {
        var rows = await RunAsync("WriteToStorageKey", version, payload, extension);
        return Assert.Single(rows);
    }

    private async Task<(byte[]? Payload, int Version)?> ReadAsync(string? extension = null)
    {
        await using var command = Command("ReadFromStorageKey", version: null, payload: null, extension);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var payload = reader.IsDBNull(reader.GetOrdinal("PayloadBinary")) ? null : reader.GetFieldValue<byte[]>(reader.GetOrdinal("PayloadBinary"));
        return (payload, reader.GetInt32(reader.GetOrdinal("Version")));
    }

    private async Task<List<int?>> RunAsync(string queryKey, int? version, byte[]? payload, string? extension = null)
    {
        await using var command = Command(queryKey, version, payload, extension);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<int?>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? null : reader.GetInt32(0));
        }

        return rows;
    }

    private NpgsqlCommand Command(string queryKey, int? version, byte[]? payload, string? extension)
    {
        var command = new NpgsqlCommand(_queries[queryKey], _connection);
        Add(command, "GrainIdHash", DbType.Int32, 12345);
        Add(command, "GrainIdN0", DbType.Int64, 0L);
        Add(command, "GrainIdN1", DbType.Int64, 42L);
        Add(command, "GrainTypeHash", DbType.Int32, 678);
        Add(command, "GrainTypeString", DbType.String, "Cocoon.Grains.WalletGrain");
        Add(command, "GrainIdExtensionString", DbType.String, extension);
        Add(command, "ServiceId", DbType.String, "cocoon");
        Add(command, "GrainStateVersion", DbType.Int32, version);
        Add(command, "PayloadBinary", DbType.Binary, payload);
        return command;
    }

    private static void Add(NpgsqlCommand command, string name, DbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
}
