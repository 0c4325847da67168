using Cocoon.Grains.Hosting;
using Cocoon.Grains.Placement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Payouts;

/// <summary>Keeps the treasury's payout cycle running (see <see cref="GrainKeepAliveService"/>).</summary>
public sealed class TreasuryService(
    IGrainFactory grains, TreasuryAddress treasury, IOptions<TreasuryOptions> options, LocalSiloInfo local,
    IHostApplicationLifetime lifetime, ILogger<TreasuryService> logger) : GrainKeepAliveService(local, lifetime, logger)
{
    protected override string Description => $"Treasury {treasury.Address}: paying out";

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task StartGrain() => grains.GetGrain<ITreasuryGrain>(treasury.Address).Start();
}
