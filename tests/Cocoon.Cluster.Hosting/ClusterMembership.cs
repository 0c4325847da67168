using Npgsql;

namespace Cocoon.Cluster.Hosting;

/// <summary>Reads Orleans' membership table as the ADO.NET provider stores it in PostgreSQL.</summary>
public static class ClusterMembership
{
    // Orleans' SiloStatus values as the table stores them.
    public const int Active = 3;
    public const int Dead = 6;

    /// <summary>The status of the newest generation of the silo on <paramref name="siloPort"/>, or null when it never joined.</summary>
    public static async Task<int?> StatusAsync(string connectionString, string clusterId, int siloPort)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleans_membership WHERE deployment_id = @c AND port = @p ORDER BY generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("c", clusterId);
        command.Parameters.AddWithValue("p", siloPort);
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }
}
