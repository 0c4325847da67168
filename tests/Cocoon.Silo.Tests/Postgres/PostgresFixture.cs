using Cocoon.Cluster.Hosting;

namespace Cocoon.Silo.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL server (<see cref="PostgresServer"/>) as an xunit class or collection fixture;
/// <see cref="CreateDatabaseAsync"/> gives each test its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port => _server.Port;

    /// <summary>Connection string to the fixture's own database (<c>cocoon</c>), as the superuser, no password (trust).</summary>
    public string ConnectionString => _server.ConnectionString;

    /// <summary>Connection string to another database of this server.</summary>
    public string ConnectionStringFor(string database) => _server.ConnectionStringFor(database);

    public Task InitializeAsync() => _server.StartAsync();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string? name = null) => _server.CreateDatabaseAsync(name);

    /// <summary>Runs one statement in a database of this server.</summary>
    public Task ExecuteAsync(string database, string sql) => _server.ExecuteAsync(database, sql);

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
