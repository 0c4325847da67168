using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Security;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests;

/// <summary>A cluster with tight per-account limits: a hostile client floods requests, tokens and job ids.</summary>
public sealed class LimitsClusterFixture : IAsyncLifetime
{
    public static readonly AccountLimits Limits = new()
    {
        RequestBurst = 6, RequestsPerMinute = 1, TokenBurst = 200, TokensPerMinute = 1, MaxActiveJobs = 2,
    };

    public CocoonCluster Cocoon { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cocoon = await CocoonCluster.StartAsync([new(SiloRole.Core | SiloRole.Worker, "l1")], limits: Limits);

    public async Task DisposeAsync() => await Cocoon.DisposeAsync();
}

public sealed class LimitsTests(LimitsClusterFixture fixture) : IClassFixture<LimitsClusterFixture>
{
    private CocoonCluster C => fixture.Cocoon;

    private async Task<AccountKey> FundedAccount(string name)
    {
        var key = CocoonCluster.Remember(TestAccounts.Named(name + Guid.NewGuid().ToString("N")[..6]));
        await C.Fund(key.AccountId, 1_000_000_000_000, name);
        return key;
    }

    [Fact]
    public async Task Job_starts_beyond_the_request_burst_are_rate_limited_with_a_retry_after_and_charge_nothing()
    {
        var key = await FundedAccount("burst");
        var completed = 0;
        RateLimitedException? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            try
            {
                var events = await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a", maxTokens: 1, key: key));
                Assert.IsType<JobCompleted>(events[^1]);
                completed++;
            }
            catch (RateLimitedException e)
            {
                limited = e;
            }
        }
        Assert.NotNull(limited);
        Assert.Equal(LimitsClusterFixture.Limits.RequestBurst, completed);
        Assert.Equal("rate_limited", limited!.Code);
        Assert.Equal("requests", limited.Limit);
        Assert.True(limited.RetryAfter >= TimeSpan.FromSeconds(1));
        var balance = await C.Balance(key.AccountId);
        Assert.Equal(0, balance.ReservedNano);
        // The refused start left no job behind.
        Assert.Equal(completed, (await C.Internal.GetGrain<IWalletGrain>(key.AccountId).GetEntries(1000)).Count(e => e.Kind == LedgerEntryKind.Reserve));
    }

    [Fact]
    public async Task Tokens_are_limited_by_their_own_bucket_and_a_job_larger_than_the_burst_is_invalid()
    {
        var key = await FundedAccount("tokens");
        var big = await Assert.ThrowsAsync<InvalidJobException>(() => C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a b", maxTokens: 300, key: key)));
        Assert.Equal("max_tokens", big.Field);
        await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a", maxTokens: 150, key: key));
        var e = await Assert.ThrowsAsync<RateLimitedException>(() => C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a", maxTokens: 150, key: key)));
        Assert.Equal("tokens", e.Limit);
        Assert.True(e.RetryAfter > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Jobs_holding_reservations_at_once_are_bounded_by_the_quota()
    {
        var key = await FundedAccount("quota");
        var running = Enumerable.Range(0, 2).Select(_ => C.Run(JobIds.New(), CocoonCluster.Request(model: "echo-slow", prompt: "a", maxTokens: 20, key: key))).ToArray();
        await Eventually.True(async () => (await C.Balance(key.AccountId)).ReservedNano > 0 && (await C.Internal.GetGrain<IWalletGrain>(key.AccountId).GetEntries(100)).Count(x => x.Kind == LedgerEntryKind.Reserve) == 2,
            TimeSpan.FromSeconds(10), "two jobs to reserve");
        var e = await Assert.ThrowsAsync<RateLimitedException>(() => C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a", maxTokens: 1, key: key)));
        Assert.Equal("active_jobs", e.Limit);
        foreach (var r in running) Assert.IsType<JobCompleted>((await r)[^1]);
    }

    [Fact]
    public async Task Flooding_job_ids_with_reads_is_bounded_by_the_request_limit()
    {
        var key = await FundedAccount("flood");
        var refused = 0;
        for (var i = 0; i < 20; i++)
        {
            try { Assert.Equal(JobPhase.Unknown, (await C.Status(JobIds.New(), key)).Phase); }
            catch (RateLimitedException e)
            {
                Assert.Equal("requests", e.Limit);
                refused++;
            }
        }
        Assert.Equal(20 - LimitsClusterFixture.Limits.RequestBurst, refused);
        // The same flood with job starts: no more jobs than the burst, and nothing reserved by refused ones.
        var other = await FundedAccount("flood-runs");
        var started = 0;
        for (var i = 0; i < 12; i++)
        {
            try { await C.Run(JobIds.New(), CocoonCluster.Request(prompt: "a", maxTokens: 1, key: other)); started++; }
            catch (RateLimitedException) { }
        }
        Assert.Equal(LimitsClusterFixture.Limits.RequestBurst, started);
        Assert.Equal(0, (await C.Balance(other.AccountId)).ReservedNano);
    }
}
