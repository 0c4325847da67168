using Cocoon.Hosting;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Wallets;
using Orleans.Runtime;

namespace Cocoon.Grains.Tests;

/// <summary><see cref="GrainRefs.Grain{T}"/> gives the reference Orleans' own GetGrain gives, from a client and inside a silo.</summary>
[Collection(nameof(SharedCluster))]
public sealed class GrainRefsTests(SharedClusterFixture fixture)
{
    private CocoonCluster C => fixture.Cocoon;

    [Fact]
    public async Task A_cached_reference_is_the_one_GetGrain_gives_and_calls_reach_the_same_grain()
    {
        foreach (var factory in new IGrainFactory[] { C.Client, C.Internal })
        {
            for (var i = 0; i < 2; i++) // the second round comes from the cache
            {
                AssertSame(factory.GetGrain<IWalletGrain>(CocoonCluster.Account), factory.Grain<IWalletGrain>(CocoonCluster.Account));
                AssertSame(factory.GetGrain<IJobGrain>("refs-" + i), factory.Grain<IJobGrain>("refs-" + i));
                AssertSame(factory.GetGrain<INodeGrain>("w1"), factory.Grain<INodeGrain>("w1"));
            }
        }

        var direct = await C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        var cached = await C.Internal.Grain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        Assert.Equal(direct.AccountId, cached.AccountId);
        Assert.Equal(CocoonCluster.Account, cached.AccountId);
    }

    [Fact]
    public void A_blank_key_is_refused_as_GetGrain_refuses_it()
    {
        Assert.ThrowsAny<ArgumentException>(() => C.Client.Grain<IWalletGrain>(""));
        Assert.ThrowsAny<ArgumentException>(() => C.Client.Grain<IWalletGrain>(" "));
        Assert.ThrowsAny<ArgumentException>(() => C.Client.Grain<IWalletGrain>(null!));
    }

    private static void AssertSame<T>(T expected, T actual) where T : IGrainWithStringKey
    {
        var e = Assert.IsAssignableFrom<GrainReference>(expected);
        var a = Assert.IsAssignableFrom<GrainReference>(actual);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
