using System.Diagnostics.Metrics;
using Cocoon.Grains.Telemetry;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests.Payouts;

/// <summary>Its own chain and ledger, since it breaks the ledger on purpose.</summary>
public sealed class ReconciliationDiscrepancyTests(TreasuryFixture f) : IClassFixture<TreasuryFixture>
{
    [Fact]
    public async Task A_credit_the_chain_does_not_back_is_reported_and_counted_in_the_metric()
    {
        var a = TreasuryFixture.NewAccount();
        await f.Hooks.FundAsync(f.Deposit.DepositAddress, 2 * TreasuryFixture.Ton, comment: a);
        await f.Watcher.Scan();
        Assert.True((await f.Reconciliation.Run()).Clean);

        // A deposit booked twice under another id: the ledger now says more than the chain.
        await f.Internal.GetGrain<IWalletGrain>(Accounts.Chain).Debit("phantom", LedgerEntryKind.Deposit, 5, a, "test");
        await f.Internal.GetGrain<IWalletGrain>(a).Credit("phantom", LedgerEntryKind.Deposit, 5, Accounts.Chain, "test");
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CocoonTelemetry.Name && instrument.Name == "cocoon.reconciliation.discrepancies") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        var report = await f.Reconciliation.Run();

        Assert.False(report.Clean);
        Assert.Contains(report.Checks, c => c.Name == "chain-balance" && !c.Ok);
        var row = Assert.Single(report.Accounts, r => r.AccountId == a);
        Assert.Equal(2 * TreasuryFixture.Ton, row.DepositsOnChainNano);
        Assert.Equal(2 * TreasuryFixture.Ton + 5, row.DepositsCreditedNano);
        Assert.Equal(report.Discrepancies, Interlocked.Read(ref counted));
    }
}
