using System.Net;
using System.Net.Sockets;
using Cocoon.Silo.Storage.Postgres;
using Cocoon.Silo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Cocoon.Silo.Tests.Postgres;

/// <summary>Real silos on Orleans' ADO.NET providers (invariant "Npgsql") over the schema this project creates.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Silo_persists_grain_state_and_reminders_in_postgres()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await PostgresSchema.InitializeAsync(connectionString);
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        using (var first = await StartSiloAsync(connectionString, clusterId))
        {
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("pg-counter");
            await grain.Add(2);
            Assert.Equal(5, (await grain.Add(3)).Count);
            await grain.RegisterReminder("settle");
            Assert.Equal(["settle"], await grain.ListReminders());
            await first.StopAsync();
        }

        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT count(*) FROM orleans_storage WHERE payload IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'settle'"));

        // A new silo reads what the first wrote, clears it, and writes again from the cleared version.
        using var second = await StartSiloAsync(connectionString, clusterId);
        var again = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("pg-counter");
        var state = await again.Get();
        Assert.Equal(5, state.Count);
        Assert.Equal((UInt128)5, state.Nano);
        Assert.Equal(["settle"], await again.ListReminders());
        await again.Reset();
        Assert.Equal(new CounterState(), await again.Get());
        Assert.Equal(1, (await again.Add(1)).Count);
        await second.StopAsync();
    }

    [Fact]
    public async Task Two_silos_of_one_cluster_see_each_other()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        // A server far from UTC: timestamps must still be stored as instants, not shifted by the session's zone.
        await ScalarAsync(connectionString, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" SET timezone TO 'Pacific/Kiritimati'");
        await PostgresSchema.InitializeAsync(connectionString);
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        using var first = await StartSiloAsync(connectionString, clusterId);
        using var second = await StartSiloAsync(connectionString, clusterId);
        var management = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

        var deadline = DateTime.UtcNow + Deadline;
        Dictionary<SiloAddress, SiloStatus> active;
        while ((active = await management.GetHosts(onlyActive: true)).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, active.Count);
        Assert.Equal(2L, await ScalarAsync(connectionString, $"SELECT count(*) FROM orleans_membership WHERE deployment_id = '{clusterId}' AND status = 3"));
        Assert.Equal(0L, await ScalarAsync(connectionString,
            "SELECT count(*) FROM orleans_membership WHERE abs(extract(epoch FROM now() - i_am_alive_time)) > 600 OR abs(extract(epoch FROM now() - start_time)) > 600"));

        await second.StopAsync();
        await first.StopAsync();
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "cocoon-tests";
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort());
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorageAsDefault(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(Deadline);
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
