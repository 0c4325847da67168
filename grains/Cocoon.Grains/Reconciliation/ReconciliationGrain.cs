using System.Diagnostics;
using Cocoon.Grains.Chain;
using Cocoon.Grains.Payouts;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Telemetry;
using Cocoon.Payouts;
using Cocoon.Registry;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Transactions;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.Reconciliation;

/// <summary>
/// Reads the deposit wallet's and the treasury's whole history from the chain and checks the ledger against it: per
/// account (deposits credited = deposits on chain; payouts debited = payouts recorded; confirmed = paid on chain, each
/// once) and for the network (system:chain = minus what the wallets hold; the in-flight account = open payouts; the
/// wallets cover what the ledger owes). Counts every failed check in the discrepancy metric.
/// </summary>
[CoreSilosOnly]
public sealed class ReconciliationGrain(IServiceProvider services, TimeProvider time, ILogger<ReconciliationGrain> logger) : Grain, IReconciliationGrain
{
    private const int SyncAttempts = 5;
    private const int PageSize = 100;

    public async Task<ReconciliationReport> Run()
    {
        var stopwatch = Stopwatch.StartNew();
        var toncenter = services.GetService<ToncenterClient>();
        var deposit = services.GetService<DepositWalletAddress>()?.Address;
        var treasury = services.GetService<TreasuryAddress>()?.Address;
        var checks = new List<ReconciliationCheck>();
        if (toncenter is null || (deposit is null && treasury is null))
        {
            checks.Add(new("chain-configured", false, "This silo watches no chain wallet: configure Cocoon:Chain and Cocoon:Treasury (docs/ton.md)."));
            return Finish(checks, [], new TreasuryReconciliation(0, 0, 0, 0, 0, 0, 0, 0), 0, stopwatch);
        }

        // 1. Bring the ledger up to the chain: both wallets' last transactions booked, read twice to be sure nothing moved in between.
        AddressInformation? depositInfo = null, treasuryInfo = null;
        ulong depositCursor = 0, treasuryCursor = 0;
        var synced = false;
        for (var attempt = 0; attempt < SyncAttempts && !synced; attempt++)
        {
            synced = true;
            if (deposit is not null)
            {
                var watcher = GrainFactory.GetGrain<IChainWatcherGrain>(deposit);
                await watcher.Scan();
                depositInfo = await Info(toncenter, deposit);
                depositCursor = (await watcher.GetStatus()).CursorLt;
                synced &= depositInfo.LastTransactionId.Lt == depositCursor;
            }
            if (treasury is not null)
            {
                var grain = GrainFactory.GetGrain<ITreasuryGrain>(treasury);
                await grain.Scan();
                treasuryInfo = await Info(toncenter, treasury);
                treasuryCursor = (await grain.GetStatus()).CursorLt;
                synced &= treasuryInfo.LastTransactionId.Lt == treasuryCursor;
            }
        }
        checks.Add(new("ledger-synced", synced, synced
            ? $"deposit wallet booked through lt {depositCursor}, treasury through lt {treasuryCursor}"
            : "the chain kept moving while the ledger caught up: run again"));

        // 2. The chain's view: every transaction up to what the ledger booked.
        var read = 0;
        var depositsOnChain = new Dictionary<string, long>();
        if (deposit is not null)
        {
            foreach (var t in await ChainHistory.ReadAfterAsync(toncenter, deposit, null, PageSize))
            {
                if (t.TransactionId.Lt > depositCursor) continue;
                read++;
                var d = DepositClassifier.Classify(Transaction.FromBoc(t.Data));
                if (d.IsDeposit) depositsOnChain[d.Account] = depositsOnChain.GetValueOrDefault(d.Account) + d.AmountNano;
            }
        }
        var paidCount = new Dictionary<long, int>();
        var paidValue = new Dictionary<long, long>();
        var bouncedBack = new Dictionary<long, long>();
        var unexplained = 0;
        if (treasury is not null)
        {
            var self = TonAddress.Parse(treasury);
            TonAddress? depositAddress = deposit is null ? null : TonAddress.Parse(deposit);
            foreach (var t in await ChainHistory.ReadAfterAsync(toncenter, treasury, null, PageSize))
            {
                if (t.TransactionId.Lt > treasuryCursor) continue;
                read++;
                var tt = TreasuryClassifier.Classify(Transaction.FromBoc(t.Data), self, depositAddress);
                foreach (var o in tt.Outgoing)
                {
                    if (o.PayoutId is not { } id) { unexplained++; continue; }
                    paidCount[id] = paidCount.GetValueOrDefault(id) + 1;
                    paidValue[id] = paidValue.GetValueOrDefault(id) + o.ValueNano;
                }
                if (tt.Inbound == TreasuryInbound.Bounce && tt.BouncedPayoutId is { } b)
                    bouncedBack[b] = bouncedBack.GetValueOrDefault(b) + tt.InboundNano;
            }
        }

        // 3. The ledger's view, account by account.
        var payouts = treasury is null ? [] : await GrainFactory.GetGrain<ITreasuryGrain>(treasury).ListPayouts(int.MaxValue, openOnly: false);
        var payoutsByAccount = payouts.ToLookup(p => p.AccountId);
        var accounts = depositsOnChain.Keys.Concat(payouts.Select(p => p.AccountId)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var rows = new List<AccountReconciliation>();
        foreach (var account in accounts)
        {
            var ledger = await GrainFactory.GetGrain<IWalletGrain>(account).GetTotals();
            var mine = payoutsByAccount[account].ToArray();
            var problems = new List<string>();
            var onChain = depositsOnChain.GetValueOrDefault(account);
            var credited = LedgerTotals.Get(ledger, LedgerEntryKind.Deposit, Accounts.Chain);
            if (onChain != credited) problems.Add($"deposits on chain {onChain} nanoTON, credited {credited}");
            var debited = -LedgerTotals.Get(ledger, LedgerEntryKind.Payout, Accounts.PayoutsInFlight);
            var recorded = mine.Where(p => p.Status is not (PayoutStatus.Rejected or PayoutStatus.Accepted)).Sum(p => p.AmountNano);
            // An Accepted payout may or may not have been debited yet (the treasury finishes it at its next cycle).
            if (debited != recorded && !mine.Any(p => p.Status == PayoutStatus.Accepted))
                problems.Add($"payouts debited {debited} nanoTON, recorded {recorded}");
            var confirmed = mine.Where(p => p.Status is PayoutStatus.Confirmed or PayoutStatus.Bounced).Sum(p => p.AmountNano);
            var paid = mine.Sum(p => paidValue.GetValueOrDefault(p.PayoutId));
            if (confirmed != paid) problems.Add($"payouts confirmed {confirmed} nanoTON, paid on chain {paid}");
            foreach (var p in mine.Where(p => paidCount.GetValueOrDefault(p.PayoutId) > 1))
                problems.Add($"payout {p.PayoutId} paid {paidCount[p.PayoutId]} times on chain");
            foreach (var p in mine.Where(p => p.Status is not (PayoutStatus.Confirmed or PayoutStatus.Bounced) && paidCount.ContainsKey(p.PayoutId)))
                problems.Add($"payout {p.PayoutId} is paid on chain but {p.Status.ToString().ToLowerInvariant()} in the ledger");
            var pending = mine.Where(p => p.Status is PayoutStatus.Queued or PayoutStatus.Sent).Sum(p => p.AmountNano);
            var bounced = mine.Sum(p => bouncedBack.GetValueOrDefault(p.PayoutId));
            rows.Add(new AccountReconciliation(account, onChain, credited, debited, recorded, confirmed, paid, pending, bounced, problems));
        }

        // 4. The network's wallets against the ledger.
        var chainLedger = await Balance(Accounts.Chain);
        var held = (depositInfo?.Balance ?? 0) + (treasuryInfo?.Balance ?? 0);
        checks.Add(new("chain-balance", chainLedger == -held,
            $"wallets hold {held} nanoTON on chain (deposit {depositInfo?.Balance ?? 0}, treasury {treasuryInfo?.Balance ?? 0}); system:chain is {chainLedger}"));
        var inFlight = await Balance(Accounts.PayoutsInFlight);
        var open = payouts.Where(p => p.Status is PayoutStatus.Queued or PayoutStatus.Sent).ToArray();
        var accepted = payouts.Any(p => p.Status == PayoutStatus.Accepted);
        checks.Add(new("payouts-in-flight", accepted || inFlight == open.Sum(p => p.AmountNano),
            $"{Accounts.PayoutsInFlight} holds {inFlight} nanoTON; {open.Length} open payouts total {open.Sum(p => p.AmountNano)}"));
        checks.Add(new("payouts-explained", unexplained == 0, $"{unexplained} outgoing treasury transfers name no payout"));
        var twice = paidCount.Count(p => p.Value > 1);
        checks.Add(new("payouts-once", twice == 0, $"{twice} payouts paid more than once on chain; {paidCount.Count} paid in all"));

        // Σ ledger = 0, so what it owes (users, suspense, in flight) is minus the system accounts; the surplus is what the operator holds.
        var shards = (await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get()).CommissionShards;
        var fees = await Balance(Accounts.NetworkFee);
        long operatorSide = fees + await Balance(Accounts.Faucet) + await Balance(Accounts.Operator);
        for (var i = 0; i < shards; i++) operatorSide += await Balance(Accounts.Commission(i));
        var liabilities = -(chainLedger + operatorSide);
        var surplus = held - liabilities;
        checks.Add(new("treasury-coverage", surplus >= 0,
            $"wallets hold {held} nanoTON against {liabilities} owed (payouts in flight {inFlight}): surplus {surplus}"));

        var totals = new TreasuryReconciliation(treasuryInfo?.Balance ?? 0, depositInfo?.Balance ?? 0, chainLedger, liabilities, inFlight, surplus, open.Length, fees);
        return Finish(checks, rows, totals, read, stopwatch);
    }

    private ReconciliationReport Finish(List<ReconciliationCheck> checks, List<AccountReconciliation> rows, TreasuryReconciliation totals, int read, Stopwatch stopwatch)
    {
        var discrepancies = checks.Count(c => !c.Ok) + rows.Sum(r => r.Problems.Count);
        if (discrepancies > 0)
        {
            CocoonTelemetry.ReconciliationDiscrepancies.Add(discrepancies);
            logger.LogWarning("Reconciliation found {Count} discrepancies: {Checks}", discrepancies,
                string.Join("; ", checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}").Concat(rows.SelectMany(r => r.Problems.Select(p => $"{r.AccountId}: {p}")))));
        }
        return new ReconciliationReport(time.GetUtcNow(), discrepancies, checks, rows, totals, read, stopwatch.Elapsed.TotalMilliseconds);
    }

    private async Task<long> Balance(string account) => (await GrainFactory.GetGrain<IWalletGrain>(account).GetBalance()).BalanceNano;

    private static async Task<AddressInformation> Info(ToncenterClient toncenter, string address) => await toncenter.GetAddressInformationAsync(address);
}
