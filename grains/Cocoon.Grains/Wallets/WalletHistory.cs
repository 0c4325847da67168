using Cocoon.Errors;
using Cocoon.Wallets;
using Orleans.Storage;

namespace Cocoon.Grains.Wallets;

/// <summary>
/// The archived part of one wallet's ledger: full pages of entries and of idempotency keys, each kept in a fixed ring
/// of storage rows beside the wallet's own (state names <c>wallet.entries.N</c>, <c>wallet.keys.N</c>), and their
/// in-memory window. A page is written before the wallet row that counts it, so after a crash between the two the
/// entries are still in the row's tail and the page is ignored: its number is not counted yet. The ring has one slot
/// more than the window, so writing a page never overwrites one the window still holds.
/// </summary>
internal sealed class WalletHistory
{
    public const int EntryPageSize = 32;
    public const int KeyPageSize = 64;

    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly int _entryPagesKept;
    private readonly int _keyPagesKept;
    private readonly List<LedgerEntryPage> _entryPages = [];
    private readonly List<AppliedKeyPage> _keyPages = [];
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _etags = new(StringComparer.Ordinal);

    private WalletHistory(IGrainStorage storage, GrainId grainId, int recentLimit, int appliedKeyLimit)
    {
        _storage = storage;
        _grainId = grainId;
        _entryPagesKept = (recentLimit + EntryPageSize - 1) / EntryPageSize;
        _keyPagesKept = (appliedKeyLimit + KeyPageSize - 1) / KeyPageSize;
    }

    /// <summary>Reads the pages the wallet row counts, at most the window's worth of each kind.</summary>
    /// <exception cref="LedgerException">A counted page is missing or is another page: the store lost a write.</exception>
    public static async Task<WalletHistory> LoadAsync(IGrainStorage storage, GrainId grainId, WalletState wallet, int recentLimit, int appliedKeyLimit)
    {
        var history = new WalletHistory(storage, grainId, recentLimit, appliedKeyLimit);
        var entryReads = Range(wallet.EntryPages, history._entryPagesKept)
            .Select(n => history.ReadAsync<LedgerEntryPage>(history.EntrySlot(n), n, p => p.Number)).ToArray();
        var keyReads = Range(wallet.KeyPages, history._keyPagesKept)
            .Select(n => history.ReadAsync<AppliedKeyPage>(history.KeySlot(n), n, p => p.Number)).ToArray();
        foreach (var page in await Task.WhenAll(entryReads)) history.Add(page);
        foreach (var page in await Task.WhenAll(keyReads)) history.Add(page);
        return history;
    }

    /// <summary>The signed amount an archived operation applied, if its key is still in the window.</summary>
    public bool TryGetApplied(string key, out long amount) => _applied.TryGetValue(key, out amount);

    /// <summary>The newest archived entry of an operation, if still in the window.</summary>
    public LedgerEntry? FindEntry(LedgerEntryKind kind, string externalId)
    {
        for (var p = _entryPages.Count - 1; p >= 0; p--)
        {
            var entries = _entryPages[p].Entries;
            for (var i = entries.Count - 1; i >= 0; i--)
                if (entries[i].Kind == kind && entries[i].ExternalId == externalId) return entries[i];
        }
        return null;
    }

    /// <summary>Archived entries, newest first.</summary>
    public IEnumerable<LedgerEntry> NewestFirst()
    {
        for (var p = _entryPages.Count - 1; p >= 0; p--)
        {
            var entries = _entryPages[p].Entries;
            for (var i = entries.Count - 1; i >= 0; i--) yield return entries[i];
        }
    }

    /// <summary>
    /// Stores the oldest <see cref="EntryPageSize"/> entries of <paramref name="tail"/> as page <paramref name="number"/>;
    /// the caller then <see cref="Add(LedgerEntryPage)"/>s it and drops them from the tail in one turn.
    /// </summary>
    public async Task<LedgerEntryPage> WriteEntriesAsync(IReadOnlyList<LedgerEntry> tail, long number)
    {
        var page = new LedgerEntryPage(number, tail.Take(EntryPageSize).ToArray());
        await WriteAsync(EntrySlot(number), page);
        return page;
    }

    /// <summary>Stores the oldest <see cref="KeyPageSize"/> keys of <paramref name="keys"/> as page <paramref name="number"/>.</summary>
    public async Task<AppliedKeyPage> WriteKeysAsync(IReadOnlyList<string> keys, IReadOnlyDictionary<string, long> amounts, long number)
    {
        var taken = keys.Take(KeyPageSize).ToArray();
        var page = new AppliedKeyPage(number, taken, taken.Select(k => amounts.GetValueOrDefault(k)).ToArray());
        await WriteAsync(KeySlot(number), page);
        return page;
    }

    /// <summary>Adds a stored page to the window, dropping the oldest beyond it.</summary>
    public void Add(LedgerEntryPage page)
    {
        _entryPages.Add(page);
        if (_entryPages.Count > _entryPagesKept) _entryPages.RemoveAt(0);
    }

    /// <inheritdoc cref="Add(LedgerEntryPage)"/>
    public void Add(AppliedKeyPage page)
    {
        _keyPages.Add(page);
        for (var i = 0; i < page.Keys.Count; i++) _applied[page.Keys[i]] = page.Amounts[i];
        if (_keyPages.Count <= _keyPagesKept) return;
        foreach (var old in _keyPages[0].Keys) _applied.Remove(old);
        _keyPages.RemoveAt(0);
    }

    private string EntrySlot(long number) => $"wallet.entries.{number % (_entryPagesKept + 1)}";

    private string KeySlot(long number) => $"wallet.keys.{number % (_keyPagesKept + 1)}";

    private static IEnumerable<long> Range(long count, int kept)
    {
        for (var n = Math.Max(0, count - kept); n < count; n++) yield return n;
    }

    private async Task<T> ReadAsync<T>(string slot, long number, Func<T, long> numberOf) where T : class
    {
        var row = new GrainState<T>();
        await _storage.ReadStateAsync(slot, _grainId, row);
        _etags[slot] = row.ETag;
        if (!row.RecordExists || row.State is null || numberOf(row.State) != number)
            throw new LedgerException(
                $"Wallet {_grainId}: ledger page {number} is missing from storage row '{slot}' though the wallet counts it. " +
                "The grain store lost a write; restore it from a backup before this account is used again.");
        return row.State;
    }

    private async Task WriteAsync<T>(string slot, T page)
    {
        var row = new GrainState<T>(page) { ETag = _etags.GetValueOrDefault(slot) };
        try
        {
            await _storage.WriteStateAsync(slot, _grainId, row);
        }
        catch (InconsistentStateException)
        {
            // The slot holds a page this activation never read (written before a crash kept the wallet row from
            // counting it, or an older page outside the window): its content is not counted, so replace it.
            var current = new GrainState<T>();
            await _storage.ReadStateAsync(slot, _grainId, current);
            row.ETag = current.ETag;
            await _storage.WriteStateAsync(slot, _grainId, row);
        }
        _etags[slot] = row.ETag;
    }
}
