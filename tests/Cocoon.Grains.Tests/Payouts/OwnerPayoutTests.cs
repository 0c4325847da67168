using Cocoon.Grains.Payouts;
using Cocoon.Payouts;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>A node owner with a payout address configured is paid its earnings once they reach the threshold.</summary>
public sealed class OwnerPayoutTests(OwnerPayoutTests.Fixture f) : IClassFixture<OwnerPayoutTests.Fixture>
{
    private const long Ton = TreasuryFixture.Ton;

    public sealed class Fixture : TreasuryFixture
    {
        public const string Owner = "owner-gpu-farm";
        public const long Threshold = 3 * Ton;
        public string Address { get; } = NewDestination();

        protected override void Configure(TreasuryOptions options)
        {
            options.PayoutThresholdNano = Threshold;
            options.PayoutAddresses[Owner] = Address;
        }
    }

    [Fact]
    public async Task Earnings_below_the_threshold_wait_and_above_it_are_paid_whole()
    {
        await f.Fund(Fixture.Owner, 2 * Ton);
        await f.TreasuryGrain.RunOnce();
        Assert.Equal(2 * Ton, await f.Balance(Fixture.Owner));
        Assert.Empty(await f.TreasuryGrain.ListPayouts(10, openOnly: false));

        await f.Fund(Fixture.Owner, 1_500_000_000);
        await f.RunUntil(async () => (await f.TreasuryGrain.ListPayouts(10, openOnly: false)).Any(p => p.Status == PayoutStatus.Confirmed));

        var payout = Assert.Single(await f.TreasuryGrain.ListPayouts(10, openOnly: false));
        Assert.Equal(3_500_000_000, payout.AmountNano);
        Assert.Equal(0, await f.Balance(Fixture.Owner));
        Assert.Equal(3_500_000_000, await f.ChainBalance(f.Address));
        await f.AssertLedgerMatchesChain();
    }
}
