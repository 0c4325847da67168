using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cocoon-durability-").FullName;

    [Fact]
    public async Task Ledger_and_finished_jobs_survive_a_restart_on_the_sqlite_store()
    {
        var db = Path.Combine(_dir, "grains.db");
        CocoonCluster.SiloSpec[] layout = [new(SiloRole.Core | SiloRole.Worker, "n1")];
        var id = JobIds.New();
        AccountBalance before;
        List<JobEvent> first;
        await using (var c = await CocoonCluster.StartAsync(layout, sqlitePath: db))
        {
            await c.Fund(CocoonCluster.Account, 5_000_000_000);
            first = await c.Run(id, CocoonCluster.Request(prompt: "durable state here", maxTokens: 6));
            before = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        }

        await using (var c = await CocoonCluster.StartAsync(layout, sqlitePath: db))
        {
            var after = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
            Assert.Equal(before, after);
            var entries = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetEntries(10);
            Assert.Contains(entries, e => e.Kind == LedgerEntryKind.Capture && e.ExternalId == id);

            // The finished job replays from storage and is not run or billed again.
            var replay = await c.Run(id, CocoonCluster.Request(prompt: "durable state here", maxTokens: 6));
            Assert.Equal(first.OfType<JobTokenEvent>().Select(t => t.Token), replay.OfType<JobTokenEvent>().Select(t => t.Token));
            Assert.Equal(after.BalanceNano, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance()).BalanceNano);
            var status = await c.Status(id);
            Assert.Equal(JobPhase.Completed, status.Phase);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
