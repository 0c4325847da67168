using Cocoon.Grains;

namespace Cocoon.Silo.Storage.Postgres;

/// <summary>
/// Wires Orleans' ADO.NET providers (invariant <c>Npgsql</c>) to one PostgreSQL database whose schema
/// <see cref="PostgresSchema"/> created (run <c>Cocoon.Silo db init</c> first).
/// </summary>
public static class PostgresClusterExtensions
{
    /// <summary>The ADO.NET invariant Orleans uses to pick the Npgsql driver.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Cluster membership and reminders in PostgreSQL (every silo of the cluster id finds the others there), and the
    /// distributed grain directory.
    /// </summary>
    public static ISiloBuilder UsePostgresCluster(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        // Orleans' default directory deactivates every grain whose directory entry lived on a silo that leaves or dies,
        // so a worker's exit killed running jobs on the core silos. The distributed directory hands its ranges over
        // (or recovers them from the survivors) and leaves activations alone. Every silo of a cluster must use it.
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.Configure<Orleans.Configuration.GrainDirectoryOptions>(Cocoon.Silo.Hosting.ClusterTiming.Apply);
        return silo;
    }

    /// <summary>The Cocoon grain store (jobs, wallets, registry) in PostgreSQL, shared by every core silo.</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return silo.AddAdoNetGrainStorage(CocoonStorage.Name, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
    }
}
