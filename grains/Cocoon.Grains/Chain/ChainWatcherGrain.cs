using Cocoon.Grains.Placement;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Transactions;
using Cocoon.Wallets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Chain;

/// <summary>
/// Pages the deposit wallet's transactions from the persisted cursor, books each one (deposit, suspense, fee) and only
/// then moves the cursor. Every ledger entry is idempotent by transaction hash, so a crash between booking and the
/// cursor write re-reads that transaction and books nothing twice. toncenter only serves transactions of blocks the
/// masterchain has committed, so what it returns is final.
/// </summary>
[CoreSilosOnly]
public sealed class ChainWatcherGrain(
    [PersistentState("chain-watcher", CocoonStorage.Name)] IPersistentState<ChainWatcherState> state,
    ToncenterClient toncenter,
    IOptions<ChainWatcherOptions> options,
    TimeProvider time,
    ILogger<ChainWatcherGrain> logger) : Grain, IChainWatcherGrain
{
    private IGrainTimer? timer;
    private DateTimeOffset? lastScanAt;
    private string? lastError;

    private string Address => this.GetPrimaryKeyString();

    public Task Start()
    {
        // KeepAlive: the timer is the watcher's whole purpose, so it must not be collected while idle.
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.PollInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task<ChainWatcherStatus> GetStatus() =>
        Task.FromResult(new ChainWatcherStatus(Address, state.State.CursorLt, state.State.CursorHash, lastScanAt, lastError));

    public async Task ResetCursor()
    {
        state.State.CursorLt = 0;
        state.State.CursorHash = null;
        await state.WriteStateAsync();
    }

    public async Task<ChainScanReport> Scan()
    {
        var fresh = await ReadNewTransactions();
        int deposits = 0, suspense = 0, skipped = 0;
        long credited = 0, fees = 0;
        // Oldest first, so the cursor always marks a prefix of the history that is fully booked.
        for (var i = fresh.Count - 1; i >= 0; i--)
        {
            var decision = Classify(fresh[i]);
            await Book(decision);
            if (decision.IsDeposit)
            {
                credited += decision.AmountNano;
                if (decision.Account == Accounts.Suspense) suspense++; else deposits++;
            }
            else
            {
                skipped++;
            }
            fees += decision.FeeNano;
            Faults.CrashPoint.Reached(Faults.CrashPoint.DepositAfterCredit);
            state.State.CursorLt = fresh[i].TransactionId.Lt;
            state.State.CursorHash = fresh[i].TransactionId.Hash;
            await state.WriteStateAsync();
        }
        lastScanAt = time.GetUtcNow();
        lastError = null;
        if (fresh.Count > 0)
            logger.LogInformation("Deposit wallet {Address}: {Count} transactions, {Deposits} deposits, {Suspense} to suspense, {Credited} nanoTON credited",
                Address, fresh.Count, deposits, suspense, credited);
        return new ChainScanReport(fresh.Count, deposits, suspense, skipped, credited, fees);
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        try
        {
            await Scan();
        }
        catch (Exception e) when (e is ToncenterException or HttpRequestException or TaskCanceledException or ChainWatcherException)
        {
            // The next tick retries from the same cursor; nothing was skipped.
            lastError = e.Message;
            logger.LogWarning(e, "Scanning deposit wallet {Address} failed; retrying at the next tick", Address);
        }
    }

    /// <summary>Every transaction after the cursor, newest first.</summary>
    private Task<List<ToncenterTransaction>> ReadNewTransactions() =>
        ChainHistory.ReadAfterAsync(toncenter, Address, state.State.CursorHash is null ? null : state.State.CursorLt, options.Value.PageSize);

    private DepositDecision Classify(ToncenterTransaction t)
    {
        Transaction tx;
        try
        {
            tx = Transaction.FromBoc(t.Data);
        }
        catch (Exception e) when (e is Ton.TonFormatException or FormatException)
        {
            throw new ChainWatcherException($"Transaction {t.TransactionId.Lt}:{t.TransactionId.Hash} of {Address} is not a valid transaction BOC: {e.Message}", e);
        }
        if (!Convert.FromHexString(tx.Hash).AsSpan().SequenceEqual(t.TransactionId.HashBytes()))
            throw new ChainWatcherException($"Transaction {t.TransactionId.Lt}:{t.TransactionId.Hash} of {Address}: its BOC hashes to {tx.Hash}, not to its id.");
        return DepositClassifier.Classify(tx);
    }

    private async Task Book(DepositDecision d)
    {
        var id = d.TransactionHash;
        if (d.IsDeposit)
        {
            var memo = d.Account == Accounts.Suspense
                ? $"deposit for no account: comment {DepositClassifier.MemoText(d.Comment)} from {d.Sender}, tx {id}"
                : $"deposit from {d.Sender}, tx {id}";
            // The chain side first: if a crash falls between the two, the rescan adds the missing credit.
            await GrainFactory.GetGrain<IWalletGrain>(Accounts.Chain).Debit(id, LedgerEntryKind.Deposit, d.AmountNano, d.Account, memo);
            await GrainFactory.GetGrain<IWalletGrain>(d.Account).Credit(id, LedgerEntryKind.Deposit, d.AmountNano, Accounts.Chain, memo);
            if (d.Account == Accounts.Suspense)
                logger.LogWarning("Deposit {Amount} nanoTON in tx {Hash} names no account (comment {Comment}); booked to {Suspense} for the operator",
                    d.AmountNano, id, DepositClassifier.MemoText(d.Comment), Accounts.Suspense);
        }
        else
        {
            logger.LogInformation("Deposit wallet {Address}: tx {Hash} not credited: {Reason}", Address, id, d.SkipReason);
        }
        if (d.FeeNano > 0)
        {
            // The network's cost: the wallet's on-chain balance is what the ledger owes users minus the fees paid.
            var memo = $"network fees of tx {id}";
            await GrainFactory.GetGrain<IWalletGrain>(Accounts.NetworkFee).Debit(id, LedgerEntryKind.Fee, d.FeeNano, Accounts.Chain, memo);
            await GrainFactory.GetGrain<IWalletGrain>(Accounts.Chain).Credit(id, LedgerEntryKind.Fee, d.FeeNano, Accounts.NetworkFee, memo);
        }
    }
}
