using Cocoon.Silo.Storage.Postgres;
using Npgsql;

namespace Cocoon.Silo.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresFixture postgres)
{
    // Every query key that Orleans 10.4.2's ADO.NET clustering, persistence and reminder providers load.
    private static readonly string[] OrleansQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Initializing_twice_applies_each_script_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        Assert.Equal(0, await PostgresSchema.GetVersionAsync(connectionString));

        var first = await PostgresSchema.InitializeAsync(connectionString);
        Assert.Equal(0, first.PreviousVersion);
        Assert.Equal(PostgresSchema.LatestVersion, first.CurrentVersion);
        Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion), first.Applied);

        var second = await PostgresSchema.InitializeAsync(connectionString);
        Assert.Equal(PostgresSchema.LatestVersion, second.PreviousVersion);
        Assert.Equal(PostgresSchema.LatestVersion, second.CurrentVersion);
        Assert.Empty(second.Applied);
        Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.GetVersionAsync(connectionString));
        Assert.Equal(OrleansQueryKeys.Order(), await QueryKeysAsync(connectionString));
    }

    [Fact]
    public async Task Two_silos_initializing_at_once_apply_each_script_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var results = await Task.WhenAll(
            PostgresSchema.InitializeAsync(connectionString),
            PostgresSchema.InitializeAsync(connectionString),
            PostgresSchema.InitializeAsync(connectionString));

        Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion), results.SelectMany(r => r.Applied).Order());
        Assert.All(results, r => Assert.Equal(PostgresSchema.LatestVersion, r.CurrentVersion));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await PostgresSchema.InitializeAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO cocoon_schema_version (version, description, checksum) VALUES (9999, 'future', '')", connection);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresSchema.InitializeAsync(connectionString));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Host=127.0.0.1;Port=notaport;Password=secret-value")]
    public async Task Bad_connection_strings_get_a_clear_error_without_the_password(string connectionString)
    {
        var error = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresSchema.InitializeAsync(connectionString));
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_gets_a_clear_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresSchema.InitializeAsync(
            $"Host=127.0.0.1;Port={port};Database=nowhere;Username=cocoon;Password=secret-value;Timeout=3"));
        Assert.Contains($"127.0.0.1:{port}/nowhere", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string[]> QueryKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return [.. keys];
    }
}
