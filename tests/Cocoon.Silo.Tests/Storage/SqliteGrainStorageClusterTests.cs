using Cocoon.Silo.Storage;
using Orleans.TestingHost;

namespace Cocoon.Silo.Tests.Storage;

/// <summary>A real silo with SQLite as its default storage: grain state outlives the silo.</summary>
public sealed class SqliteGrainStorageClusterTests : IDisposable
{
    private readonly TempDirectory _folder = new("cocoon-sqlite-cluster");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Grain_state_survives_a_silo_restart()
    {
        var path = _folder.File("grains.db");
        await using (var first = await StartClusterAsync(path))
        {
            var grain = first.Client.GetGrain<ICounterGrain>("survivor");
            await grain.Add(3);
            await grain.Add(4);
            var other = first.Client.GetGrain<ICounterGrain>("cleared");
            await other.Add(1);
            await other.Reset();
            await first.StopAllSilosAsync();
        }

        await using var second = await StartClusterAsync(path);
        var state = await second.Client.GetGrain<ICounterGrain>("survivor").Get();
        Assert.Equal(7, state.Count);
        Assert.Equal("survivor", state.Label);
        Assert.Equal((UInt128)7, state.Nano);

        var cleared = second.Client.GetGrain<ICounterGrain>("cleared");
        Assert.Equal(new CounterState(), await cleared.Get());
        Assert.Equal(5, (await cleared.Add(5)).Count);
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(string databasePath)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = databasePath));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
