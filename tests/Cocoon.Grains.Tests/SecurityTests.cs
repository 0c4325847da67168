using Cocoon.Errors;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Routing;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests;

/// <summary>A hostile raw Orleans client (not the client library) tries the internal surface; every call is refused.</summary>
[Collection(nameof(SharedCluster))]
public sealed class SecurityTests(SharedClusterFixture fixture)
{
    private CocoonCluster C => fixture.Cocoon;

    [Fact]
    public async Task Internal_methods_are_refused_from_client_connections_and_change_nothing()
    {
        var wallet = C.Client.GetGrain<IWalletGrain>(CocoonCluster.Account);
        var before = await wallet.GetBalance();

        await Refused("credit", () => wallet.Credit("steal-1", LedgerEntryKind.Deposit, 1_000_000, "attacker", "free money"));
        await Refused("debit", () => C.Client.GetGrain<IWalletGrain>(CocoonCluster.Owner).Debit("steal-2", LedgerEntryKind.Payout, 1, "attacker", ""));
        await Refused("capture", () => wallet.Capture("some-job", 1, "attacker"));
        await Refused("reserve", () => wallet.Reserve("some-job", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        await Refused("update", () => C.Client.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Update(new NetworkParameters { Version = 2, PricePerToken = 0, WorkerFeePerToken = 0 }));
        await Refused("heartbeat", () => C.Client.GetGrain<IRouterGrain>("echo").Heartbeat(
            new NodeDescriptor("fake-node", ["echo"], 1, 100, "local", "attacker"), new NodeLoad(0, 0, 0)));
        await Refused("execute", async () =>
        {
            await foreach (var _ in C.Client.GetGrain<INodeGrain>("w1").Execute("j", CocoonCluster.Account, CocoonCluster.Request().Metadata, CocoonCluster.Request().Payload)) { }
        });

        Assert.Equal(before.BalanceNano, (await wallet.GetBalance()).BalanceNano);
        Assert.Equal(1, (await C.Client.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get()).Version);
        Assert.DoesNotContain(await C.Client.GetGrain<IRouterGrain>("echo").ListNodes(), n => n.Node.NodeId == "fake-node");
        // The public surface still works for the same client.
        Assert.IsType<JobCompleted>((await C.Run(JobIds.New(), CocoonCluster.Request()))[^1]);
    }

    private static async Task Refused(string method, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<CallRefusedException>(call);
        Assert.Contains(method, e.Method, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("call_refused", e.Code);
    }
}
