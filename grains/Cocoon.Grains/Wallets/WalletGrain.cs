using Cocoon.Errors;
using Cocoon.Grains.Jobs;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Security;
using Cocoon.Security;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Cocoon.Grains.Wallets;

/// <summary>
/// One account's ledger. Each operation checks and applies its change in one synchronous turn, so concurrent jobs of
/// one account cannot overdraw it; the grain is reentrant only so that the writes of concurrent operations share one
/// store commit (<see cref="WriteCoalescer"/>), and no caller hears of its change before that commit. Each operation
/// is idempotent by (kind, external id) within the retained history. The row holds balances, reservations and the
/// ledger's tail; full pages of older entries and keys live in rows of their own (<see cref="WalletHistory"/>).
/// Every entry records its actor (the calling grain or client, as the runtime names it) for audit; public reads are signed.
/// </summary>
[CoreSilosOnly, Reentrant]
public sealed class WalletGrain(
    [PersistentState("wallet", CocoonStorage.Name)] IPersistentState<WalletState> state,
    RequestVerifier requests,
    TimeProvider time,
    IOptions<JobOptions> jobOptions,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain, IIncomingGrainCallFilter
{
    // The caller of the operation in progress. Async-local, because the grain is reentrant: operations interleave at
    // their awaits, and each must name its own caller in the entries it appends.
    private readonly AsyncLocal<string?> _caller = new();
    private ReplayCache? _replays;
    private readonly AccountLimiter _limiter = new();

    private const int RecentLimit = 1_000;
    private const int AppliedKeyLimit = 4_096;
    private const int ExpiredReservationLimit = 4_096;
    private static readonly TimeSpan ExpiredReservationRetention = TimeSpan.FromDays(7);

    private WalletState _s = null!;
    private WalletHistory _history = null!;
    private WriteCoalescer _writes = null!;
    private long _reserved;
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;

    private string AccountId => _accountId ??= this.GetPrimaryKeyString(); // parsed from the grain id on each call otherwise
    private string? _accountId;
    private WalletState S => _s;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Accounts.IsValid(AccountId))
            throw new InvalidJobException("account", $"'{AccountId}' is not a valid account id.");
        _s = state.State;
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CocoonStorage.Name);
        _history = await WalletHistory.LoadAsync(storage, this.GetGrainId(), S, RecentLimit, AppliedKeyLimit);
        _writes = new WriteCoalescer(WriteAsync);
        _reserved = S.Reservations.Values.Sum(r => r.AmountNano);
        _nextExpiry = S.Reservations.Count == 0 ? DateTimeOffset.MaxValue : S.Reservations.Values.Min(r => r.ExpiresAt);
        if (S.PendingCredits.Count > 0) DeliverSoon(); // owed since before the last activation ended (a crash, a stop)
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A stopping silo pays what this wallet owes before it goes, where it can; what is left waits in the row for
        // the next activation. The delivery loop stops here: the next activation owns the row.
        _deactivating = true;
        if (_s is null || S.PendingCredits.Count == 0 || _writes.Failure is not null) return;
        try { await DeliverOnce().WaitAsync(cancellationToken); }
        catch (Exception e) { logger.LogWarning("{Account} deactivates owing {Count} settlement credits: {Error}", AccountId, S.PendingCredits.Count, e.Message); }
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        _caller.Value = context.SourceId?.ToString();
        await context.Invoke();
    }

    public Task<AccountBalance> ReadBalance(SignedRequest request)
    {
        VerifyOwn(request, RequestOperations.WalletBalance, RequestContent.Balance());
        return GetBalance();
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadEntries(SignedRequest request, int limit)
    {
        VerifyOwn(request, RequestOperations.WalletEntries, RequestContent.Entries(limit));
        return GetEntries(limit);
    }

    /// <summary>Only this account's key may read it: a request signed by any other key fails the key → account check.</summary>
    private void VerifyOwn(SignedRequest request, string operation, byte[] digest)
    {
        if (request is null) throw new Errors.SignatureRejectedException(AccountId, operation, "the request is missing");
        if (Accounts.IsSystem(AccountId) || !AccountIds.IsKeyDerived(AccountId))
            throw new Errors.SignatureRejectedException(AccountId, operation, "this account has no key: only operators read it (docs/security.md)");
        requests.Verify(request.Signature, operation, digest, AccountId, _replays ??= requests.NewReplayCache());
        _limiter.Take(AccountId, requests.Limits.Value, 0, time.GetUtcNow());
    }

    public async Task<AccountBalance> GetBalance()
    {
        _writes.ThrowIfBroken();
        var changed = ExpireReservations();
        var snapshot = Snapshot();
        await (changed ? _writes.PersistAsync() : _writes.DurableAsync());
        return snapshot;
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetEntries(int limit)
    {
        _writes.ThrowIfBroken();
        limit = Math.Clamp(limit, 0, RecentLimit);
        if (limit > S.Recent.Count) await _history.EnsureEntriesAsync(S.EntryPages);
        var entries = Enumerable.Reverse(S.Recent).Concat(_history.NewestFirst()).Take(limit).ToArray();
        await _writes.DurableAsync();
        return entries;
    }

    public async Task<LedgerEntry> Credit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo) =>
        (await Credit(externalId, kind, amountNano, counterparty, memo, issuedAt: null))!;

    public Task<LedgerEntry?> CreditIssuedAt(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo, DateTimeOffset issuedAt) =>
        Credit(externalId, kind, amountNano, counterparty, memo, issuedAt);

    /// <summary>How far apart two silos' clocks may be: an issue time this close to the horizon counts as before it.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether an operation first sent at <paramref name="issuedAt"/> may have applied with its key since forgotten.</summary>
    private bool MayHaveForgotten(DateTimeOffset issuedAt) =>
        _history.ForgottenBefore != default && issuedAt <= _history.ForgottenBefore + ClockSkewAllowance;

    private async Task<LedgerEntry?> Credit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo, DateTimeOffset? issuedAt)
    {
        _writes.ThrowIfBroken();
        RequirePositive(amountNano);
        var key = Key(kind, externalId);
        if (await Applied(key) is { } existing)
        {
            await _writes.DurableAsync();
            return existing;
        }
        if (issuedAt is { } issued && MayHaveForgotten(issued))
        {
            // Its key is not in the window, but keys applied after it was first sent have left the window: it may be a
            // repeat of a credit that applied. Applying it could pay twice; the caller books it to suspense instead.
            logger.LogWarning("Credit {Key} of {Amount} to {Account}, first sent at {IssuedAt:O}, is older than the idempotency window (keys applied before {Horizon:O} are forgotten): not applied",
                key, amountNano, AccountId, issued, _history.ForgottenBefore);
            await _writes.DurableAsync();
            return null;
        }
        var entry = ApplyCredit(kind, externalId, amountNano, counterparty, memo);
        await _writes.PersistAsync();
        return entry;
    }

    /// <summary>Applies a credit checked as new: the balance, its entry, and its key. The caller persists.</summary>
    private LedgerEntry ApplyCredit(LedgerEntryKind kind, string externalId, long amountNano, string counterparty, string memo)
    {
        S.Balance = checked(S.Balance + amountNano);
        var entry = Append(kind, externalId, amountNano, counterparty, memo);
        Remember(Key(kind, externalId), amountNano);
        return entry;
    }

    public async Task<LedgerEntry> Debit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo)
    {
        _writes.ThrowIfBroken();
        RequirePositive(amountNano);
        var key = Key(kind, externalId);
        if (await Applied(key) is { } existing)
        {
            await _writes.DurableAsync();
            return existing;
        }
        var expired = ExpireReservations();
        if (!Accounts.MayGoNegative(AccountId) && Available < amountNano)
        {
            await (expired ? _writes.PersistAsync() : _writes.DurableAsync()); // released reservations are kept though the debit is refused
            throw new InsufficientFundsException(AccountId, amountNano, Available);
        }
        S.Balance = checked(S.Balance - amountNano);
        var entry = Append(kind, externalId, -amountNano, counterparty, memo);
        Remember(key, -amountNano);
        await _writes.PersistAsync();
        return entry;
    }

    public async Task Reserve(string jobId, long amountNano, DateTimeOffset expiresAt, ReservationAdmission? admission = null)
    {
        _writes.ThrowIfBroken();
        if (amountNano < 0) throw new InvalidJobException("amount", "A reservation cannot be negative.");
        if (S.Reservations.ContainsKey(jobId) || IsApplied(SettleKey(jobId)) || IsApplied(Key(LedgerEntryKind.Capture, jobId)) || IsApplied(Key(LedgerEntryKind.Release, jobId)))
        {
            await _writes.DurableAsync(); // this job already reserved (or settled): a retried call changes nothing
            return;
        }
        if (S.NextSequence == 1 && !state.RecordExists && !Accounts.IsSystem(AccountId))
            throw new UnknownAccountException(AccountId);
        var expired = ExpireReservations();
        if (admission is not null)
        {
            try { Admit(admission); }
            catch
            {
                if (expired) await _writes.PersistAsync();
                throw;
            }
        }
        if (Available < amountNano)
        {
            await (expired ? _writes.PersistAsync() : _writes.DurableAsync());
            throw new InsufficientFundsException(AccountId, amountNano, Available);
        }
        S.Reservations[jobId] = new Reservation(amountNano, expiresAt);
        _reserved += amountNano;
        if (expiresAt < _nextExpiry) _nextExpiry = expiresAt;
        Append(LedgerEntryKind.Reserve, jobId, 0, "", $"reserved {amountNano}", admission?.Signature);
        // A deferred hold answers now and commits with the next write: one commit fewer on a whole job's path.
        if (admission?.DeferCommit == true) _writes.PersistInBackground();
        else await _writes.PersistAsync();
    }

    public async Task<long> Capture(string jobId, long amountNano, string counterparty) =>
        await Capture(jobId, amountNano, counterparty, issuedAt: null) ?? 0;

    public Task<long?> CaptureIssuedAt(string jobId, long amountNano, string counterparty, DateTimeOffset issuedAt) =>
        Capture(jobId, amountNano, counterparty, (DateTimeOffset?)issuedAt);

    private async Task<long?> Capture(string jobId, long amountNano, string counterparty, DateTimeOffset? issuedAt)
    {
        _writes.ThrowIfBroken();
        RequireNonNegative(amountNano);
        var key = Key(LedgerEntryKind.Capture, jobId);
        if (TryGetApplied(key, out var done) || TryGetApplied(SettleKey(jobId), out done))
        {
            await _writes.DurableAsync();
            return -done;
        }
        if (TakeReservation(jobId, amountNano, counterparty) is not { } captured)
            return await NothingToCapture(jobId, amountNano, issuedAt);
        Remember(key, -captured);
        await _writes.PersistAsync();
        return captured;
    }

    public async Task<Settlement> Settle(string jobId, long chargeNano, DateTimeOffset issuedAt, SettlementShares shares)
    {
        _writes.ThrowIfBroken();
        RequireNonNegative(chargeNano);
        if (shares is null || (shares.WorkerNano > 0 && !Accounts.IsValid(shares.WorkerAccount)) || !Accounts.IsValid(shares.CommissionAccount))
            throw new InvalidJobException("shares", $"Settling job {jobId} needs valid worker and commission accounts.");
        var key = SettleKey(jobId);
        if (TryGetApplied(key, out var done))
        {
            await _writes.DurableAsync();
            return new(-done, SharesQueued: true);
        }
        if (TryGetApplied(Key(LedgerEntryKind.Capture, jobId), out done))
        {
            await _writes.DurableAsync();
            return new(-done, SharesQueued: false); // captured by a build that left the credits to the job
        }
        // A deferred hold missing here was lost before it committed, unless the job may have settled and been forgotten.
        var lostHold = shares.ReservationDeferred && !MayHaveForgotten(issuedAt);
        if (TakeReservation(jobId, chargeNano, shares.WorkerAccount, lostHold) is not { } captured)
        {
            // Nothing to capture (0: there is nothing to share either), or a forgotten capture (null: whether its shares
            // were queued, the caller knows from how it settles).
            var nothing = await NothingToCapture(jobId, chargeNano, issuedAt);
            return new(nothing, SharesQueued: nothing is not null);
        }
        Remember(key, -captured);
        var worker = Math.Clamp(shares.WorkerNano, 0, captured);
        var now = time.GetUtcNow();
        if (worker > 0)
            S.PendingCredits.Add(new(jobId, shares.WorkerAccount, LedgerEntryKind.Earn, worker, shares.WorkerMemo, now));
        if (captured - worker > 0)
            S.PendingCredits.Add(new(jobId, shares.CommissionAccount, LedgerEntryKind.Commission, captured - worker, "job commission", now));
        if (S.PendingCredits.Count > 0) DeliverSoon();
        if (S.PendingCredits.Count is >= PendingWarning and < PendingWarning + 2)
            logger.LogWarning("{Account} owes {Count} settlement shares it has not delivered yet; they stay in its row, which grows with them, until their wallets answer", AccountId, S.PendingCredits.Count);
        await _writes.PersistAsync();
        return new(captured, SharesQueued: true);
    }

    /// <summary>
    /// Takes up to <paramref name="amountNano"/> of the job's reservation and releases the rest; for a job whose
    /// reservation expired unsettled, or whose deferred hold was lost (<paramref name="lostHold"/>), takes it from the
    /// available balance (never below zero). Null when the job has neither. The caller remembers the key and persists.
    /// </summary>
    private long? TakeReservation(string jobId, long amountNano, string counterparty, bool lostHold = false)
    {
        if (S.Reservations.Remove(jobId, out var reservation))
        {
            _reserved -= reservation.AmountNano;
        }
        else if (S.ExpiredReservations.Remove(jobId))
        {
            reservation = new Reservation(Math.Min(amountNano, Math.Max(0, Available)), DateTimeOffset.MaxValue);
            logger.LogWarning("Capture for job {JobId} found its reservation on {Account} expired; capturing from the available balance", jobId, AccountId);
        }
        else if (lostHold && !IsApplied(Key(LedgerEntryKind.Release, jobId)))
        {
            reservation = new Reservation(Math.Min(amountNano, Math.Max(0, Available)), DateTimeOffset.MaxValue);
            logger.LogWarning("Settlement of job {JobId} found no reservation on {Account}: its deferred hold was lost before it committed; capturing from the available balance", jobId, AccountId);
        }
        else
        {
            return null;
        }
        var captured = Math.Min(amountNano, reservation.AmountNano);
        if (captured > 0)
        {
            S.Balance = checked(S.Balance - captured);
            Append(LedgerEntryKind.Capture, jobId, -captured, counterparty, $"job cost, reservation {reservation.AmountNano}");
        }
        if (reservation.AmountNano - captured > 0)
            Append(LedgerEntryKind.Release, jobId, 0, "", $"released {reservation.AmountNano - captured}");
        return captured;
    }

    /// <summary>
    /// A capture for a job neither reserved, expired unsettled, nor known by its key: a replay of a capture that ran and
    /// whose key left the idempotency window (the window counts operations, so a busy account moves past a key in
    /// seconds), or one that never reserved. Capturing again would charge the job twice. Null when it may have run.
    /// </summary>
    private async Task<long?> NothingToCapture(string jobId, long amountNano, DateTimeOffset? issuedAt)
    {
        await _writes.DurableAsync();
        if (issuedAt is { } issued && !MayHaveForgotten(issued))
            return 0; // first sent after every forgotten key: it never ran here, and nothing is reserved for it
        if (amountNano > 0) // a job that never reserved settles with nothing to capture: not worth a warning
            logger.LogWarning("Capture for job {JobId} on {Account} matches no reservation, expired reservation or recent capture; capturing nothing", jobId, AccountId);
        return issuedAt is null ? 0 : null;
    }

    public async Task<bool[]> CreditShares(string payer, IReadOnlyList<SettlementCredit> credits)
    {
        _writes.ThrowIfBroken();
        ArgumentNullException.ThrowIfNull(credits);
        foreach (var c in credits)
        {
            RequirePositive(c.AmountNano);
            if (c.Account != AccountId)
                throw new InvalidJobException("account", $"A share of job {c.JobId} for {c.Account} was sent to {AccountId}.");
        }
        var applied = new bool[credits.Count];
        var changed = false;
        for (var i = 0; i < credits.Count; i++)
        {
            var c = credits[i];
            var key = Key(c.Kind, c.JobId);
            if (IsApplied(key))
            {
                applied[i] = true;
                continue;
            }
            if (MayHaveForgotten(c.IssuedAt))
            {
                logger.LogWarning("Share {Key} of {Amount} from {Payer} to {Account}, queued at {IssuedAt:O}, is older than the idempotency window (keys applied before {Horizon:O} are forgotten): not applied",
                    key, c.AmountNano, payer, AccountId, c.IssuedAt, _history.ForgottenBefore);
                continue;
            }
            ApplyCredit(c.Kind, c.JobId, c.AmountNano, payer, c.Memo);
            applied[i] = changed = true;
        }
        await (changed ? _writes.PersistAsync() : _writes.DurableAsync());
        return applied;
    }

    private static readonly TimeSpan MaxCreditBackoff = TimeSpan.FromSeconds(30);
    private const int PendingWarning = 10_000;
    private bool _delivering;
    private bool _deactivating;

    /// <summary>Starts delivering <see cref="WalletState.PendingCredits"/> unless that is under way.</summary>
    private void DeliverSoon()
    {
        if (_delivering) return;
        _delivering = true;
        _ = DeliverPendingAsync();
    }

    private async Task DeliverPendingAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        try
        {
            while (S.PendingCredits.Count > 0 && _writes.Failure is null && !_deactivating)
            {
                var delay = jobOptions.Value.SettlementShareDelay; // company for the shares
                await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time);
                if (_deactivating) break;
                if (await DeliverOnce())
                {
                    backoff = TimeSpan.FromMilliseconds(250);
                    continue;
                }
                await Task.Delay(backoff, time);
                backoff = Min(MaxCreditBackoff, backoff * 2);
            }
        }
        catch (Exception e)
        {
            // Only a failed write of this wallet lands here: it reloads, and its next activation delivers what is left.
            logger.LogWarning("{Account} stopped delivering settlement credits: {Error}", AccountId, e.Message);
        }
        finally
        {
            _delivering = false;
        }
    }

    /// <summary>
    /// Sends every pending share whose capture has committed, one call per receiving account, and forgets the ones
    /// confirmed (or booked to suspense) in a commit of their own. False when some account could not be reached.
    /// </summary>
    private async Task<bool> DeliverOnce()
    {
        var batch = S.PendingCredits.ToArray();
        if (batch.Length == 0) return true;
        await _writes.DurableAsync(); // no share leaves before the commit that captured it
        var sent = await Task.WhenAll(batch.GroupBy(c => c.Account, StringComparer.Ordinal).Select(g => DeliverTo(g.Key, [.. g])));
        var delivered = sent.SelectMany(d => d).ToHashSet(ReferenceEqualityComparer.Instance);
        if (delivered.Count > 0)
        {
            S.PendingCredits.RemoveAll(delivered.Contains);
            await _writes.PersistAsync();
        }
        return delivered.Count == batch.Length;
    }

    private async Task<SettlementCredit[]> DeliverTo(string account, SettlementCredit[] credits)
    {
        try
        {
            var applied = await GrainFactory.GetGrain<IWalletGrain>(account).CreditShares(AccountId, credits);
            for (var i = 0; i < credits.Length; i++)
            {
                if (applied[i]) continue;
                var c = credits[i];
                logger.LogError("{Account} cannot tell whether its {Kind} of {Amount} nanoTON for job {JobId} was already credited; booking it to {Suspense}",
                    account, c.Kind, c.AmountNano, c.JobId, Accounts.Suspense);
                await SuspenseItems.BookAsync(GrainFactory, c.JobId, account, c.Kind, c.AmountNano, AccountId, c.IssuedAt);
            }
            return credits;
        }
        catch (Exception e)
        {
            logger.LogWarning("{Account} could not deliver {Count} settlement credits to {Target}: {Error}; retrying", AccountId, credits.Length, account, e.Message);
            return [];
        }
    }

    public async Task Release(string jobId)
    {
        _writes.ThrowIfBroken();
        if (!S.Reservations.Remove(jobId, out var reservation))
        {
            await _writes.DurableAsync();
            return;
        }
        _reserved -= reservation.AmountNano;
        Append(LedgerEntryKind.Release, jobId, 0, "", $"released {reservation.AmountNano}");
        Remember(Key(LedgerEntryKind.Release, jobId), 0);
        await _writes.PersistAsync();
    }

    /// <summary>All-time sums by kind and counterparty, as committed (reconciliation compares them with the chain).</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetTotals()
    {
        _writes.ThrowIfBroken();
        var totals = new Dictionary<string, long>(S.Totals, StringComparer.Ordinal);
        await _writes.DurableAsync();
        return totals;
    }

    /// <summary>Every new job id costs a request and its tokens from the account's buckets, and needs room in its job quota.</summary>
    private void Admit(ReservationAdmission admission)
    {
        var now = time.GetUtcNow();
        var limits = admission.Limits;
        if (S.Reservations.Count >= limits.MaxActiveJobs)
        {
            var next = S.Reservations.Values.Min(r => r.ExpiresAt) - now;
            throw new Errors.RateLimitedException(AccountId, "active_jobs", next > TimeSpan.FromSeconds(1) ? Min(next, TimeSpan.FromHours(1)) : TimeSpan.FromSeconds(1),
                $"at most {limits.MaxActiveJobs} jobs at once");
        }
        _limiter.Take(AccountId, limits, admission.Tokens, now);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private long Available => S.Balance - _reserved;

    private AccountBalance Snapshot() =>
        new(AccountId, S.Balance, _reserved, Available, S.NextSequence - 1, state.RecordExists || S.NextSequence > 1,
            S.PendingCredits.Sum(c => c.AmountNano));

    /// <summary>Releases reservations past their expiry; true when any was (the caller persists).</summary>
    private bool ExpireReservations()
    {
        var now = time.GetUtcNow();
        if (now < _nextExpiry) return false;
        var expired = S.Reservations.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToArray();
        foreach (var jobId in expired)
        {
            S.Reservations.Remove(jobId, out var r);
            _reserved -= r!.AmountNano;
            Append(LedgerEntryKind.Release, jobId, 0, "", $"reservation of {r.AmountNano} expired");
            S.ExpiredReservations[jobId] = now;
        }
        if (expired.Length > 0)
        {
            // A job settles within its retention (7 days) or not at all; expiries are rare, so the bound is a safety net.
            foreach (var old in S.ExpiredReservations.Where(e => now - e.Value > ExpiredReservationRetention).Select(e => e.Key).ToArray())
                S.ExpiredReservations.Remove(old);
            foreach (var old in S.ExpiredReservations.OrderBy(e => e.Value).Take(Math.Max(0, S.ExpiredReservations.Count - ExpiredReservationLimit)).Select(e => e.Key).ToArray())
                S.ExpiredReservations.Remove(old);
        }
        _nextExpiry = S.Reservations.Count == 0 ? DateTimeOffset.MaxValue : S.Reservations.Values.Min(r => r.ExpiresAt);
        return expired.Length > 0;
    }

    /// <summary>
    /// One store write: full pages of the tail first, then the wallet row that counts them and drops them from its
    /// tail. The row is written from a copy (the grain works on <see cref="_s"/>), so operations arriving while the
    /// store serializes change only the grain's memory. A failed write breaks the coalescer: the grain reloads.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            while (S.Recent.Count >= _history.EntryPageSize)
            {
                var page = await _history.WriteEntriesAsync(S.Recent, S.EntryPages);
                _history.Add(page);
                S.Recent.RemoveRange(0, page.Entries.Count);
                S.EntryPages++;
            }
            while (S.AppliedKeys.Count >= WalletHistory.KeyPageSize)
            {
                var now = time.GetUtcNow();
                var page = await _history.WriteKeysAsync(S.AppliedKeys, S.AppliedAmounts, S.KeyPages, now);
                if (_history.Add(page, now) is { } left && left.WrittenAt > S.KeysForgottenBefore)
                    S.KeysForgottenBefore = left.WrittenAt; // saved with the row that counts the new page
                foreach (var key in page.Keys) S.AppliedAmounts.Remove(key);
                S.AppliedKeys.RemoveRange(0, page.Keys.Count);
                S.KeyPages++;
            }
            state.State = S.Snapshot();
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // memory is ahead of the store: the next activation reloads what was committed
            throw;
        }
    }

    private LedgerEntry Append(LedgerEntryKind kind, string externalId, long amount, string counterparty, string memo, RequestSignature? signature = null)
    {
        var entry = new LedgerEntry(S.NextSequence++, kind, externalId, amount, S.Balance, counterparty, memo, time.GetUtcNow())
        {
            Actor = _caller.Value ?? "wallet/" + AccountId,
            Signature = signature,
        };
        if (amount != 0) S.Totals[LedgerTotals.Key(kind, counterparty)] = S.Totals.GetValueOrDefault(LedgerTotals.Key(kind, counterparty)) + amount;
        S.Recent.Add(entry);
        return entry;
    }

    private static string Key(LedgerEntryKind kind, string externalId) => $"{kind}:{externalId}";

    /// <summary>The key of a job's capture made by <see cref="Settle"/>, which queued its shares too.</summary>
    private static string SettleKey(string jobId) => "Settle:" + jobId;

    private bool TryGetApplied(string key, out long amount) =>
        S.AppliedAmounts.TryGetValue(key, out amount) || _history.TryGetApplied(key, out amount);

    private bool IsApplied(string key) => TryGetApplied(key, out _);

    /// <summary>The entry of an operation already applied (its replay's answer), or null; completes at once for a new one.</summary>
    private async ValueTask<LedgerEntry?> Applied(string key)
    {
        if (!TryGetApplied(key, out var amount)) return null;
        var kindAndId = key.Split(':', 2);
        var kind = Enum.Parse<LedgerEntryKind>(kindAndId[0]);
        if (S.Recent.LastOrDefault(e => e.Kind == kind && e.ExternalId == kindAndId[1]) is { } recent) return recent;
        await _history.EnsureEntriesAsync(S.EntryPages);
        return _history.FindEntry(kind, kindAndId[1])
            ?? new LedgerEntry(0, kind, kindAndId[1], amount, S.Balance, "", "already applied", time.GetUtcNow());
    }

    private void Remember(string key, long amount)
    {
        S.AppliedKeys.Add(key);
        S.AppliedAmounts[key] = amount;
    }

    private static void RequirePositive(long amount)
    {
        if (amount <= 0) throw new InvalidJobException("amount", $"Amount must be positive nanoTON, got {amount}.");
    }

    private static void RequireNonNegative(long amount)
    {
        if (amount < 0) throw new InvalidJobException("amount", $"Amount must not be negative, got {amount}.");
    }
}
