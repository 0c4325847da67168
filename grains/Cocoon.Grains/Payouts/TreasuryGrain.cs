using System.Numerics;
using Cocoon.Errors;
using Cocoon.Grains.Chain;
using Cocoon.Grains.Faults;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Telemetry;
using Cocoon.Payouts;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Transactions;
using Cocoon.Ton.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// Pays out from the highload-v3 treasury, exactly once through any crash:
/// a payout is recorded before the owner is debited (so a crash re-runs the idempotent debit); a batch is persisted
/// with its query id, created_at, BOC and hash before it is first sent, and every resend sends those bytes, which the
/// contract accepts once; a payout is confirmed only by its outgoing message in the treasury's own transactions, read
/// from a persisted cursor and booked idempotently by transaction before the cursor moves; a batch is re-signed only
/// when the chain proves the old one can never run (past valid_until, every transaction up to then read, and the
/// contract's processed? saying no) or ran without paying it.
/// Not reentrant: one cycle or request at a time.
/// </summary>
[CoreSilosOnly]
public sealed class TreasuryGrain(
    [PersistentState("treasury", CocoonStorage.Name)] IPersistentState<TreasuryState> state,
    ToncenterClient toncenter,
    TreasuryWallet wallet,
    IOptions<TreasuryOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TreasuryGrain> logger) : Grain, ITreasuryGrain
{
    private const int MaxRequestIdLength = 64;
    private const int SettledKept = 1_000;

    private readonly DepositWallet? depositWallet = services.GetService<DepositWallet>();
    private IGrainTimer? timer;
    private DateTimeOffset? lastCycleAt;
    private string? lastError;

    private TreasuryState S => state.State;
    private string Address => this.GetPrimaryKeyString();
    private TreasuryOptions O => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!TonAddress.TryParse(Address, out var key) || key != wallet.Wallet.Address)
            throw new InvalidOperationException($"The treasury grain {Address} is not this silo's treasury {wallet.Address}.");
        return Task.CompletedTask;
    }

    public Task Start()
    {
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.Zero, O.PollInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<PayoutView> RequestPayout(WithdrawalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var destination = Validate(request);
        var key = TreasuryState.RequestKey(request.AccountId, request.RequestId);
        if (S.Requests.TryGetValue(key, out var existingId))
        {
            var existing = S.Payouts[existingId];
            if (existing.AmountNano != request.AmountNano || existing.Destination != request.Destination.Trim())
                throw new InvalidWithdrawalException("request_id",
                    $"Request id '{request.RequestId}' was already used for a payout of {existing.AmountNano} nanoTON to {existing.Destination}: choose a new request id.");
            if (existing.Status == PayoutStatus.Accepted) await MoveToInFlight(existing);
            return View(existing);
        }

        var payout = new PayoutRecord
        {
            Id = S.NextPayoutId++,
            AccountId = request.AccountId,
            RequestId = request.RequestId,
            AmountNano = request.AmountNano,
            Destination = request.Destination.Trim(),
            Bounceable = destination.Bounceable,
            Status = PayoutStatus.Accepted,
            CreatedAt = time.GetUtcNow(),
        };
        S.Payouts[payout.Id] = payout;
        S.Requests[key] = payout.Id;
        // Recorded before any money moves: a crash here leaves an Accepted payout whose debit the next cycle retries.
        await state.WriteStateAsync();
        await MoveToInFlight(payout);
        if (payout.Status == PayoutStatus.Rejected)
            throw new InvalidWithdrawalException("amount", payout.Error!);
        return View(payout);
    }

    public Task<PayoutView?> GetPayout(string accountId, string requestId) =>
        Task.FromResult(S.Requests.TryGetValue(TreasuryState.RequestKey(accountId, requestId), out var id) ? View(S.Payouts[id]) : null);

    public Task<IReadOnlyList<PayoutView>> ListPayouts(int limit, bool openOnly) =>
        Task.FromResult<IReadOnlyList<PayoutView>>(S.Payouts.Values.Where(p => !openOnly || p.IsOpen).OrderByDescending(p => p.Id)
            .Take(Math.Max(0, limit)).Select(View).ToArray());

    public Task<TreasuryStatus> GetStatus()
    {
        var confirmed = S.Payouts.Values.Where(p => p.Status == PayoutStatus.Confirmed).ToArray();
        var byAccount = confirmed.GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.Sum(p => p.AmountNano));
        return Task.FromResult(new TreasuryStatus(Address, S.CursorLt, S.CursorHash, S.Payouts.Values.Count(p => p.IsOpen),
            S.Payouts.Values.Where(p => p.Status is PayoutStatus.Queued or PayoutStatus.Sent).Sum(p => p.AmountNano),
            S.Outbox.Count, confirmed.Length, confirmed.Sum(p => p.AmountNano), lastCycleAt, lastError, byAccount));
    }

    public async Task<int> Scan()
    {
        var report = new CycleCounters();
        await Scan(report);
        return report.Transactions;
    }

    public async Task<TreasuryCycleReport> RunOnce()
    {
        var report = new CycleCounters();
        foreach (var accepted in S.Payouts.Values.Where(p => p.Status == PayoutStatus.Accepted).ToArray())
            await MoveToInFlight(accepted);

        // Chain time and history mark, read before the scan: everything up to this point is then booked.
        var info = await toncenter.GetAddressInformationAsync(Address);
        await Scan(report);
        await SettleOutbox(info, report);
        await PayOwners();
        if (depositWallet is not null && O.SweepThresholdNano > 0) report.Swept = await Sweep(info);
        await SendNewBatches(info, report);
        lastCycleAt = time.GetUtcNow();
        lastError = null;
        return report.ToReport();
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        try
        {
            await RunOnce();
        }
        catch (Exception e) when (e is ToncenterException or HttpRequestException or TaskCanceledException or ChainWatcherException)
        {
            // Everything is persisted step by step: the next tick continues from where this one stopped.
            lastError = e.Message;
            logger.LogWarning(e, "Treasury {Address}: cycle failed; retrying at the next tick", Address);
        }
    }

    private (TonAddress Address, bool Bounceable) Validate(WithdrawalRequest r)
    {
        if (!Accounts.IsValid(r.AccountId) || Accounts.IsSystem(r.AccountId))
            throw new InvalidWithdrawalException("account", $"'{r.AccountId}' is not an account that can withdraw.");
        if (string.IsNullOrEmpty(r.RequestId) || r.RequestId.Length > MaxRequestIdLength
            || !r.RequestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            throw new InvalidWithdrawalException("request_id", $"A request id is 1 to {MaxRequestIdLength} characters of [A-Za-z0-9._:-].");
        if (r.AmountNano < O.MinPayoutNano)
            throw new InvalidWithdrawalException("amount", $"The smallest payout is {O.MinPayoutNano} nanoTON; {r.AmountNano} was asked.");
        TonAddress to;
        bool bounceable;
        try
        {
            var text = r.Destination?.Trim() ?? "";
            if (text.Contains(':'))
            {
                to = TonAddress.ParseRaw(text);
                bounceable = true;
            }
            else
            {
                var friendly = TonAddress.ParseFriendly(text);
                to = friendly.Address;
                bounceable = friendly.IsBounceable;
            }
        }
        catch (AddressFormatException e)
        {
            throw new InvalidWithdrawalException("destination", $"The destination is not a TON address: {e.Message}");
        }
        if (to.Workchain is not (0 or -1))
            throw new InvalidWithdrawalException("destination", $"Payouts go to the basechain (0) or masterchain (-1), not workchain {to.Workchain}.");
        if (to == wallet.Wallet.Address || (depositWallet is not null && to == depositWallet.Wallet.Address))
            throw new InvalidWithdrawalException("destination", "The destination is one of the network's own wallets: give your own address.");
        return (to, bounceable);
    }

    private async Task MoveToInFlight(PayoutRecord p)
    {
        var memo = $"payout {p.Id} to {p.Destination}";
        try
        {
            await GrainFactory.GetGrain<IWalletGrain>(p.AccountId).Debit(p.LedgerId, LedgerEntryKind.Payout, p.AmountNano, Accounts.PayoutsInFlight, memo);
        }
        catch (InsufficientFundsException e)
        {
            p.Status = PayoutStatus.Rejected;
            p.Error = $"Account {p.AccountId} has {e.AvailableNano} nanoTON available, less than the {p.AmountNano} asked: nothing was paid.";
            await state.WriteStateAsync();
            return;
        }
        await GrainFactory.GetGrain<IWalletGrain>(Accounts.PayoutsInFlight).Credit(p.LedgerId, LedgerEntryKind.Payout, p.AmountNano, p.AccountId, memo);
        p.Status = PayoutStatus.Queued;
        await state.WriteStateAsync();
        CocoonTelemetry.PayoutsRequested.Add(1);
    }

    private async Task Scan(CycleCounters report)
    {
        var fresh = await ChainHistory.ReadAfterAsync(toncenter, Address, S.CursorHash is null ? null : S.CursorLt, O.PageSize);
        for (var i = fresh.Count - 1; i >= 0; i--)
        {
            var t = fresh[i];
            Transaction tx;
            try
            {
                tx = Transaction.FromBoc(t.Data);
            }
            catch (Exception e) when (e is Ton.TonFormatException or FormatException)
            {
                throw new ChainWatcherException($"Treasury transaction {t.TransactionId.Lt}:{t.TransactionId.Hash} is not a valid transaction BOC: {e.Message}", e);
            }
            if (!Convert.FromHexString(tx.Hash).AsSpan().SequenceEqual(t.TransactionId.HashBytes()))
                throw new ChainWatcherException($"Treasury transaction {t.TransactionId.Lt}:{t.TransactionId.Hash}: its BOC hashes to {tx.Hash}, not to its id.");
            await Book(TreasuryClassifier.Classify(tx, wallet.Wallet.Address, depositWallet?.Wallet.Address), report);
            S.CursorLt = t.TransactionId.Lt;
            S.CursorHash = t.TransactionId.Hash;
            await state.WriteStateAsync();
            report.Transactions++;
        }
    }

    /// <summary>Books one treasury transaction. Every entry is idempotent by the transaction or payout, so a crash before the cursor moves re-books nothing twice.</summary>
    private async Task Book(TreasuryTransaction t, CycleCounters report)
    {
        var batch = t.ExecutedQueryId is { } q
            ? S.Outbox.Values.Where(b => b.QueryId == q && b.Status != OutboxStatus.Executed).OrderByDescending(b => b.QuerySequence).FirstOrDefault()
            : t.ExternalMessageHash is { } h ? S.Outbox.Values.FirstOrDefault(b => b.MessageHash == h) : null;
        if (batch is not null) CrashPoint.Reached(CrashPoint.PayoutAfterInclusion);

        if (t.FeeNano > 0)
            await Transfer(Accounts.NetworkFee, Accounts.Chain, LedgerEntryKind.Fee, t.Hash, t.FeeNano, $"network fees of treasury tx {t.Hash}");

        switch (t.Inbound)
        {
            case TreasuryInbound.Bounce when t.BouncedPayoutId is { } id && S.Payouts.TryGetValue(id, out var bounced) && bounced.Status == PayoutStatus.Confirmed:
                await ReturnBounced(bounced, t);
                report.Bounced++;
                break;
            case TreasuryInbound.Bounce:
            case TreasuryInbound.TopUp:
                logger.LogInformation("Treasury {Address}: {Amount} nanoTON from {Sender} in tx {Hash} booked as operator capital", Address, t.InboundNano, t.Sender, t.Hash);
                await Transfer(Accounts.Chain, Accounts.Operator, LedgerEntryKind.Deposit, t.Hash, t.InboundNano, $"treasury top-up from {t.Sender}, tx {t.Hash}");
                break;
        }

        foreach (var o in t.Outgoing)
        {
            if (o.PayoutId is { } id && S.Payouts.TryGetValue(id, out var p) && p.Status is PayoutStatus.Sent or PayoutStatus.Queued && o.ValueNano == p.AmountNano)
            {
                CrashPoint.Reached(CrashPoint.PayoutBeforeConfirmation);
                // The money left the chain wallets: out of the in-flight account, out of the ledger.
                await Transfer(Accounts.PayoutsInFlight, Accounts.Chain, LedgerEntryKind.Payout, p.LedgerId + ":sent", p.AmountNano, $"payout {p.Id} in tx {t.Hash}");
                p.Status = PayoutStatus.Confirmed;
                p.TransactionHash = t.Hash;
                p.Error = null;
                report.Confirmed++;
                CocoonTelemetry.PayoutsConfirmed.Add(1);
                CocoonTelemetry.PayoutsNano.Add(p.AmountNano);
            }
            else
            {
                // Only this key signs for the treasury, so this should never happen; book it as a loss so the ledger still matches the chain.
                logger.LogError("Treasury {Address}: tx {Hash} sent {Value} nanoTON to {Destination} that no open payout explains; booked as a loss",
                    Address, t.Hash, o.ValueNano, o.Destination);
                CocoonTelemetry.PayoutsUnexplained.Add(1);
                await Transfer(Accounts.NetworkFee, Accounts.Chain, LedgerEntryKind.Transfer, $"{t.Hash}:{o.Destination}", o.ValueNano, $"unexplained transfer to {o.Destination}");
            }
        }

        if (batch is null) return;
        if (t.ExternalMessageHash is not null)
        {
            batch.Status = OutboxStatus.Sent; // accepted by the contract: its query id is spent, never expire it
            batch.Sends = Math.Max(batch.Sends, 1);
            batch.Accepted = true;
            return;
        }
        // The batch's action list ran: whatever it did not pay can never be paid by this query id, so it goes back to the queue.
        batch.Status = OutboxStatus.Executed;
        foreach (var id in batch.PayoutIds)
        {
            if (!S.Payouts.TryGetValue(id, out var p) || p.Status != PayoutStatus.Sent || p.Batch != batch.QuerySequence) continue;
            p.Status = PayoutStatus.Queued;
            p.Batch = null;
            p.Error = $"batch {batch.QueryId} ran without paying it (treasury short of funds?); queued again";
            report.Requeued++;
            logger.LogWarning("Treasury {Address}: payout {Id} was not paid by batch {Query}; queued again", Address, id, batch.QueryId);
        }
        Settle(batch);
    }

    private async Task ReturnBounced(PayoutRecord p, TreasuryTransaction t)
    {
        var id = p.LedgerId + ":bounce";
        var memo = $"payout {p.Id} bounced by {p.Destination} in tx {t.Hash}";
        await Transfer(Accounts.Chain, p.AccountId, LedgerEntryKind.Payout, id, t.InboundNano, memo);
        // The destination's bounce fees came out of the value: the operator bears them, the owner gets the whole payout back.
        if (p.AmountNano > t.InboundNano)
            await Transfer(Accounts.NetworkFee, p.AccountId, LedgerEntryKind.Fee, id, p.AmountNano - t.InboundNano, memo + " (bounce fees)");
        p.Status = PayoutStatus.Bounced;
        p.ReturnedNano = t.InboundNano;
        p.Error = $"bounced by the destination in tx {t.Hash}; returned to the balance";
        CocoonTelemetry.PayoutsBounced.Add(1);
    }

    private async Task SettleOutbox(AddressInformation info, CycleCounters report)
    {
        var now = (ulong)Math.Max(0, info.SyncUtime);
        var scannedThrough = S.CursorHash is null ? 0 : S.CursorLt;
        foreach (var batch in S.Outbox.Values.Where(b => b.Status is OutboxStatus.Signed or OutboxStatus.Sent).OrderBy(b => b.QuerySequence).ToArray())
        {
            if (!batch.Accepted && now > batch.ValidUntil && scannedThrough >= info.LastTransactionId.Lt)
            {
                // Past valid_until the contract refuses it for good; every transaction up to that time is booked and none ran it.
                if (info.State == AccountState.Active && await QueryProcessed(batch.QueryId))
                {
                    lastError = $"batch {batch.QueryId} is past valid_until and unseen, yet the contract reports its query id processed: left for the operator";
                    logger.LogError("Treasury {Address}: {Error}", Address, lastError);
                    continue;
                }
                batch.Status = OutboxStatus.Expired;
                foreach (var id in batch.PayoutIds)
                {
                    var p = S.Payouts[id];
                    if (p.Status != PayoutStatus.Sent || p.Batch != batch.QuerySequence) continue;
                    p.Status = PayoutStatus.Queued;
                    p.Batch = null;
                    report.Requeued++;
                }
                Settle(batch);
                await state.WriteStateAsync();
                report.BatchesExpired++;
                logger.LogWarning("Treasury {Address}: batch {Query} expired unexecuted (proven); its {Count} payouts are queued for a new batch",
                    Address, batch.QueryId, batch.PayoutIds.Count);
                continue;
            }
            if (batch.Accepted || now > batch.ValidUntil) continue;
            if (batch.LastSentAt is { } last && time.GetUtcNow() - last < O.ResendInterval) continue;
            await Send(batch);
            report.BatchesResent++;
        }
    }

    /// <summary>The highload-v3 get-method processed?(query_id, need_clean = false).</summary>
    private async Task<bool> QueryProcessed(ulong queryId)
    {
        var result = await toncenter.RunGetMethodAsync(Address, "processed?", [TvmStackEntry.Number(queryId), TvmStackEntry.Number(BigInteger.Zero)]);
        if (!result.Succeeded || result.Stack.Count == 0)
            throw new ChainWatcherException($"processed?({queryId}) on the treasury failed with exit code {result.ExitCode}.");
        return !result.Stack[0].AsNumber().IsZero;
    }

    private async Task SendNewBatches(AddressInformation info, CycleCounters report)
    {
        var queued = S.Payouts.Values.Where(p => p.Status == PayoutStatus.Queued).OrderBy(p => p.Id).ToList();
        if (queued.Count == 0) return;
        var committed = S.Outbox.Values.Where(b => b.Status is OutboxStatus.Signed or OutboxStatus.Sent).Sum(b => b.TotalNano);
        var spendable = info.Balance - committed - O.ReserveNano;
        var batchSize = Math.Clamp(O.BatchSize, 1, HighloadWalletV3.MaxBatchSize);
        var createdAt = (ulong)Math.Max(1, info.SyncUtime - (long)O.CreatedAtSkew.TotalSeconds);
        while (queued.Count > 0)
        {
            var take = new List<PayoutRecord>();
            long total = 0;
            foreach (var p in queued)
            {
                if (take.Count == batchSize) break;
                var cost = p.AmountNano + O.FeeAllowancePerPayoutNano;
                if (total + cost > spendable) break;
                take.Add(p);
                total += cost;
            }
            if (take.Count == 0)
            {
                report.Underfunded = true;
                logger.LogWarning("Treasury {Address}: {Count} payouts wait: the treasury has {Balance} nanoTON, {Committed} committed to sent batches",
                    Address, queued.Count, info.Balance, committed);
                return;
            }
            queued.RemoveRange(0, take.Count);
            spendable -= total;
            await SignAndSend(take, createdAt, includeStateInit: info.State != AccountState.Active);
            report.BatchesSent++;
        }
    }

    private async Task SignAndSend(List<PayoutRecord> payouts, ulong createdAt, bool includeStateInit)
    {
        var sequence = S.NextQuerySequence++;
        var queryId = HighloadQueryId.FromSequence(sequence % (HighloadQueryId.Capacity - 1));
        var messages = payouts.Select(p => InternalMessage.WithComment(TonAddress.Parse(p.Destination), p.AmountNano, PayoutComment.For(p.Id), p.Bounceable)).ToList();
        var external = wallet.Wallet.CreateBatchTransfer(wallet.Key, queryId, createdAt, messages, includeStateInit: includeStateInit);
        var batch = new OutboxBatch
        {
            QuerySequence = sequence,
            QueryId = queryId.Value,
            CreatedAt = createdAt,
            Timeout = wallet.Wallet.Timeout,
            Boc = external.ToBoc(),
            MessageHash = external.HashHex,
            PayoutIds = payouts.Select(p => p.Id).ToList(),
            TotalNano = payouts.Sum(p => p.AmountNano),
            Status = OutboxStatus.Signed,
        };
        S.Outbox[sequence] = batch;
        foreach (var p in payouts)
        {
            p.Status = PayoutStatus.Sent;
            p.Batch = sequence;
            p.Attempts++;
        }
        // The outbox entry is durable before the message exists anywhere else: after a crash the same bytes are resent.
        await state.WriteStateAsync();
        CrashPoint.Reached(CrashPoint.PayoutAfterOutboxWrite);
        logger.LogInformation("Treasury {Address}: batch {Query} ({Count} payouts, {Total} nanoTON), message {Hash}",
            Address, queryId, payouts.Count, batch.TotalNano, batch.MessageHash);
        await Send(batch);
    }

    private async Task Send(OutboxBatch batch)
    {
        try
        {
            await toncenter.SendBocReturnHashAsync(batch.Boc);
        }
        catch (ToncenterException e) when (!e.IsTransient)
        {
            // Refused: already processed (a resend of an accepted message) or not yet/no longer valid. The scan and the expiry proof decide.
            logger.LogInformation("Treasury {Address}: batch {Query} not accepted now: {Error}", Address, batch.QueryId, e.Error);
        }
        CrashPoint.Reached(CrashPoint.PayoutAfterSend);
        batch.Sends++;
        batch.LastSentAt = time.GetUtcNow();
        if (batch.Status == OutboxStatus.Signed) batch.Status = OutboxStatus.Sent;
        await state.WriteStateAsync();
    }

    private void Settle(OutboxBatch batch)
    {
        S.Outbox.Remove(batch.QuerySequence);
        batch.Boc = [];
        S.Settled.Add(batch);
        if (S.Settled.Count > SettledKept) S.Settled.RemoveRange(0, S.Settled.Count - SettledKept);
    }

    /// <summary>Node owners with a payout address are paid their whole available balance once it reaches the threshold.</summary>
    private async Task PayOwners()
    {
        foreach (var (account, address) in O.PayoutAddresses)
        {
            var balance = await GrainFactory.GetGrain<IWalletGrain>(account).GetBalance();
            if (balance.AvailableNano < Math.Max(O.PayoutThresholdNano, O.MinPayoutNano)) continue;
            // The id follows the ledger: the same balance after a crash asks for the same payout, never a second one.
            var request = new WithdrawalRequest(account, balance.AvailableNano, address, $"auto-{balance.EntryCount}");
            try
            {
                await RequestPayout(request);
            }
            catch (InvalidWithdrawalException e)
            {
                logger.LogWarning("Treasury {Address}: automatic payout of {Account} to {Destination} refused: {Reason}", Address, account, address, e.Message);
            }
        }
    }

    /// <summary>Moves the deposit wallet's balance above what it keeps into the treasury, one signed v5r1 transfer at a time.</summary>
    private async Task<bool> Sweep(AddressInformation treasuryInfo)
    {
        var deposit = depositWallet!;
        var from = deposit.Address;
        var info = await toncenter.GetWalletInformationAsync(from);
        var seqno = info.Seqno ?? 0;
        var now = (uint)Math.Max(0, treasuryInfo.SyncUtime);
        if (S.Sweep is { } pending)
        {
            // The seqno moved past it: it ran (a seqno runs once). Past valid_until with the seqno unchanged: it never will.
            if (seqno > pending.Seqno || now > pending.ValidUntil)
            {
                S.Sweep = null;
                await state.WriteStateAsync();
                return seqno > pending.Seqno;
            }
            if (pending.LastSentAt is { } last && time.GetUtcNow() - last < O.ResendInterval) return false;
            await SendSweep(pending);
            return false;
        }
        if (info.Balance < O.SweepThresholdNano) return false;
        var amount = info.Balance - O.SweepKeepNano;
        if (amount <= 0) return false;
        var validUntil = now + (uint)Math.Max(60, O.ResendInterval.TotalSeconds * 8);
        var to = TonAddress.Parse(wallet.TopUpAddress);
        var external = deposit.Wallet.CreateTransfer(deposit.Key, seqno, validUntil,
            [InternalMessage.WithComment(to, amount, "cocoon sweep", bounce: false)], includeStateInit: info.AccountState != AccountState.Active);
        S.Sweep = new SweepRecord { Seqno = seqno, ValidUntil = validUntil, AmountNano = amount, Boc = external.ToBoc(), MessageHash = external.HashHex };
        await state.WriteStateAsync();
        logger.LogInformation("Treasury {Address}: sweeping {Amount} nanoTON from the deposit wallet {From} (seqno {Seqno})", Address, amount, from, seqno);
        await SendSweep(S.Sweep);
        return false;
    }

    private async Task SendSweep(SweepRecord sweep)
    {
        try
        {
            await toncenter.SendBocReturnHashAsync(sweep.Boc);
        }
        catch (ToncenterException e) when (!e.IsTransient)
        {
            logger.LogInformation("Treasury {Address}: sweep (seqno {Seqno}) not accepted now: {Error}", Address, sweep.Seqno, e.Error);
        }
        sweep.LastSentAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    /// <summary>A balanced pair of ledger entries: <paramref name="from"/> debited, <paramref name="to"/> credited, both idempotent by (kind, id).</summary>
    private async Task Transfer(string from, string to, LedgerEntryKind kind, string id, long amount, string memo)
    {
        if (amount <= 0) return;
        await GrainFactory.GetGrain<IWalletGrain>(from).Debit(id, kind, amount, to, memo);
        await GrainFactory.GetGrain<IWalletGrain>(to).Credit(id, kind, amount, from, memo);
    }

    private PayoutView View(PayoutRecord p)
    {
        OutboxBatch? batch = p.Batch is { } b && S.Outbox.TryGetValue(b, out var open) ? open : null;
        return new PayoutView(p.Id, p.AccountId, p.RequestId, p.AmountNano, p.Destination, p.Status,
            batch is null ? null : HighloadQueryId.FromValue(batch.QueryId).ToString(), batch?.MessageHash, p.TransactionHash, p.CreatedAt, p.Error);
    }

    private sealed class CycleCounters
    {
        public int Transactions, Confirmed, Bounced, Requeued, BatchesSent, BatchesResent, BatchesExpired;
        public bool Underfunded, Swept;

        public TreasuryCycleReport ToReport() =>
            new(Transactions, Confirmed, Bounced, Requeued, BatchesSent, BatchesResent, BatchesExpired, Underfunded, Swept);
    }
}
