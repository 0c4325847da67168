using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Wallets;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.Wallets;

/// <summary>
/// One account's ledger. Not reentrant: operations apply one at a time, so concurrent jobs of one account
/// cannot overdraw it. Each operation is idempotent by (kind, external id) within the retained history.
/// </summary>
[CoreSilosOnly]
public sealed class WalletGrain(
    [PersistentState("wallet", CocoonStorage.Name)] IPersistentState<WalletState> state,
    TimeProvider time,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain
{
    private const int RecentLimit = 1_000;
    private const int AppliedKeyLimit = 4_096;

    private string AccountId => this.GetPrimaryKeyString();
    private WalletState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Accounts.IsValid(AccountId))
            throw new InvalidJobException("account", $"'{AccountId}' is not a valid account id.");
        return Task.CompletedTask;
    }

    public async Task<AccountBalance> GetBalance()
    {
        await ExpireReservations();
        return Snapshot();
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntries(int limit) =>
        Task.FromResult<IReadOnlyList<LedgerEntry>>(S.Recent.AsEnumerable().Reverse().Take(Math.Clamp(limit, 0, RecentLimit)).ToArray());

    public async Task<LedgerEntry> Credit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo)
    {
        RequirePositive(amountNano);
        var key = $"{kind}:{externalId}";
        if (Applied(key) is { } existing) return existing;
        S.Balance = checked(S.Balance + amountNano);
        var entry = Append(kind, externalId, amountNano, counterparty, memo);
        Remember(key, amountNano);
        await state.WriteStateAsync();
        return entry;
    }

    public async Task<LedgerEntry> Debit(string externalId, LedgerEntryKind kind, long amountNano, string counterparty, string memo)
    {
        RequirePositive(amountNano);
        var key = $"{kind}:{externalId}";
        if (Applied(key) is { } existing) return existing;
        await ExpireReservations(write: false);
        if (!Accounts.MayGoNegative(AccountId) && Available < amountNano)
            throw new InsufficientFundsException(AccountId, amountNano, Available);
        S.Balance = checked(S.Balance - amountNano);
        var entry = Append(kind, externalId, -amountNano, counterparty, memo);
        Remember(key, -amountNano);
        await state.WriteStateAsync();
        return entry;
    }

    public async Task Reserve(string jobId, long amountNano, DateTimeOffset expiresAt)
    {
        if (amountNano < 0) throw new InvalidJobException("amount", "A reservation cannot be negative.");
        if (S.Reservations.ContainsKey(jobId) || Applied($"{LedgerEntryKind.Capture}:{jobId}") is not null || Applied($"{LedgerEntryKind.Release}:{jobId}") is not null)
            return; // this job already reserved (or settled): a retried call changes nothing
        if (!state.RecordExists && !Accounts.IsSystem(AccountId))
            throw new UnknownAccountException(AccountId);
        await ExpireReservations(write: false);
        if (Available < amountNano)
            throw new InsufficientFundsException(AccountId, amountNano, Available);
        S.Reservations[jobId] = new Reservation(amountNano, expiresAt);
        Append(LedgerEntryKind.Reserve, jobId, 0, "", $"reserved {amountNano}");
        await state.WriteStateAsync();
    }

    public async Task<long> Capture(string jobId, long amountNano, string counterparty)
    {
        RequireNonNegative(amountNano);
        var key = $"{LedgerEntryKind.Capture}:{jobId}";
        if (state.State.AppliedAmounts.TryGetValue(key, out var done)) return -done;
        if (!S.Reservations.Remove(jobId, out var reservation))
        {
            // The reservation expired before settlement: take the cost from what is available, never below zero.
            reservation = new Reservation(Math.Min(amountNano, Math.Max(0, Available)), DateTimeOffset.MaxValue);
            logger.LogWarning("Capture for job {JobId} found no reservation on {Account}; capturing from the available balance", jobId, AccountId);
        }
        var captured = Math.Min(amountNano, reservation.AmountNano);
        if (captured > 0)
        {
            S.Balance = checked(S.Balance - captured);
            Append(LedgerEntryKind.Capture, jobId, -captured, counterparty, $"job cost, reservation {reservation.AmountNano}");
        }
        Remember(key, -captured);
        if (reservation.AmountNano - captured > 0)
            Append(LedgerEntryKind.Release, jobId, 0, "", $"released {reservation.AmountNano - captured}");
        await state.WriteStateAsync();
        return captured;
    }

    public async Task Release(string jobId)
    {
        if (!S.Reservations.Remove(jobId, out var reservation)) return;
        Append(LedgerEntryKind.Release, jobId, 0, "", $"released {reservation.AmountNano}");
        Remember($"{LedgerEntryKind.Release}:{jobId}", 0);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyDictionary<string, long>> GetTotals() =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(S.Totals));

    private long Reserved => S.Reservations.Values.Sum(r => r.AmountNano);
    private long Available => S.Balance - Reserved;

    private AccountBalance Snapshot() =>
        new(AccountId, S.Balance, Reserved, Available, S.NextSequence - 1, state.RecordExists);

    private async Task ExpireReservations(bool write = true)
    {
        var now = time.GetUtcNow();
        var expired = S.Reservations.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToArray();
        foreach (var jobId in expired)
        {
            S.Reservations.Remove(jobId, out var r);
            Append(LedgerEntryKind.Release, jobId, 0, "", $"reservation of {r!.AmountNano} expired");
        }
        if (write && expired.Length > 0) await state.WriteStateAsync();
    }

    private LedgerEntry Append(LedgerEntryKind kind, string externalId, long amount, string counterparty, string memo)
    {
        var entry = new LedgerEntry(S.NextSequence++, kind, externalId, amount, S.Balance, counterparty, memo, time.GetUtcNow());
        if (amount != 0) S.Totals[LedgerTotals.Key(kind, counterparty)] = S.Totals.GetValueOrDefault(LedgerTotals.Key(kind, counterparty)) + amount;
        S.Recent.Add(entry);
        if (S.Recent.Count > RecentLimit) S.Recent.RemoveRange(0, S.Recent.Count - RecentLimit);
        return entry;
    }

    private LedgerEntry? Applied(string key)
    {
        if (!S.AppliedAmounts.ContainsKey(key)) return null;
        var kindAndId = key.Split(':', 2);
        return S.Recent.LastOrDefault(e => e.Kind.ToString() == kindAndId[0] && e.ExternalId == kindAndId[1])
            ?? new LedgerEntry(0, Enum.Parse<LedgerEntryKind>(kindAndId[0]), kindAndId[1], S.AppliedAmounts[key], S.Balance, "", "already applied", time.GetUtcNow());
    }

    private void Remember(string key, long amount)
    {
        S.AppliedKeys.Add(key);
        S.AppliedAmounts[key] = amount;
        if (S.AppliedKeys.Count > AppliedKeyLimit)
        {
            foreach (var old in S.AppliedKeys.Take(S.AppliedKeys.Count - AppliedKeyLimit)) S.AppliedAmounts.Remove(old);
            S.AppliedKeys.RemoveRange(0, S.AppliedKeys.Count - AppliedKeyLimit);
        }
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
