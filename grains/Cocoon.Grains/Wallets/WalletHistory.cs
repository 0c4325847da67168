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
/// Key pages are read at activation (every operation checks its key); entry pages only when an old entry is asked for
/// (a listing, or the replay of an operation no longer in the row's tail), so small entry pages keep the row, which
/// every operation rewrites, small without making activations read more.
/// </summary>
internal sealed class WalletHistory
{
    /// <summary>Entries per page for a wallet that had pages before the size was recorded in its row.</summary>
    public const int LegacyEntryPageSize = 32;
    /// <summary>Entries per page for new wallets: the row's tail averages half a page, about 160 bytes an entry.</summary>
    public const int NewEntryPageSize = 8;
    public const int KeyPageSize = 64;

    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly int _entryPagesKept;
    private readonly int _keyPagesKept;
    private readonly List<LedgerEntryPage> _entryPages = [];
    private readonly List<AppliedKeyPage> _keyPages = [];
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _etags = new(StringComparer.Ordinal);
    private Task? _entriesLoaded;

    private WalletHistory(IGrainStorage storage, GrainId grainId, int entryPageSize, int recentLimit, int appliedKeyLimit)
    {
        _storage = storage;
        _grainId = grainId;
        EntryPageSize = entryPageSize;
        _entryPagesKept = (recentLimit + entryPageSize - 1) / entryPageSize;
        _keyPagesKept = (appliedKeyLimit + KeyPageSize - 1) / KeyPageSize;
    }

    /// <summary>Entries per page of this wallet: fixed once it has pages, since the ring's slots depend on it.</summary>
    public int EntryPageSize { get; }

    /// <summary>
    /// The page size a wallet row uses, recording it in the row if it has none yet: a wallet with pages written before
    /// the size was recorded keeps <see cref="LegacyEntryPageSize"/>; one without pages takes <see cref="NewEntryPageSize"/>.
    /// </summary>
    public static int EntryPageSizeOf(WalletState wallet)
    {
        if (wallet.EntryPageSize <= 0)
            wallet.EntryPageSize = wallet.EntryPages > 0 ? LegacyEntryPageSize : NewEntryPageSize;
        return wallet.EntryPageSize;
    }

    /// <summary>Reads the key pages the wallet row counts (at most the window's worth); entry pages are read on demand.</summary>
    /// <exception cref="LedgerException">A counted page is missing or is another page: the store lost a write.</exception>
    public static async Task<WalletHistory> LoadAsync(IGrainStorage storage, GrainId grainId, WalletState wallet, int recentLimit, int appliedKeyLimit)
    {
        var history = new WalletHistory(storage, grainId, EntryPageSizeOf(wallet), recentLimit, appliedKeyLimit)
        {
            ForgottenBefore = wallet.KeysForgottenBefore,
        };
        var keyReads = Range(wallet.KeyPages, history._keyPagesKept)
            .Select(n => history.ReadAsync<AppliedKeyPage>(history.KeySlot(n), n, p => p.Number)).ToArray();
        foreach (var page in await Task.WhenAll(keyReads)) history.Add(page, DateTimeOffset.MinValue);
        return history;
    }

    /// <summary>
    /// Reads the entry pages counted before <paramref name="counted"/> (the row's count now) into the window, once;
    /// pages this activation writes meanwhile are added by <see cref="Add(LedgerEntryPage)"/> as usual.
    /// </summary>
    public Task EnsureEntriesAsync(long counted) => _entriesLoaded ??= LoadEntriesAsync(counted);

    private async Task LoadEntriesAsync(long counted)
    {
        var reads = Range(counted, _entryPagesKept)
            .Select(n => ReadAsync<LedgerEntryPage>(EntrySlot(n), n, p => p.Number, newerMayReplace: true)).ToArray();
        var loaded = (await Task.WhenAll(reads)).Where(p => p is not null).Select(p => p!).ToList();
        // Pages written while these were read are newer: keep the window ordered oldest first and within its size.
        loaded.AddRange(_entryPages.Where(p => p.Number >= counted));
        _entryPages.Clear();
        _entryPages.AddRange(loaded.Skip(Math.Max(0, loaded.Count - _entryPagesKept)));
    }

    /// <summary>
    /// This activation recognises every key applied after this instant: the stored window's horizon when it loaded,
    /// moved on as lingering pages are dropped (so about a minute ago on a busy wallet, not the window's seconds).
    /// </summary>
    public DateTimeOffset ForgottenBefore { get; private set; }

    /// <summary>The signed amount an archived operation applied, if its key is still in the window.</summary>
    public bool TryGetApplied(string key, out long amount) => _applied.TryGetValue(key, out amount);

    /// <summary>The newest archived entry of an operation, if still in the window; call <see cref="EnsureEntriesAsync"/> first.</summary>
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

    /// <summary>Archived entries, newest first; call <see cref="EnsureEntriesAsync"/> first.</summary>
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
    public async Task<AppliedKeyPage> WriteKeysAsync(IReadOnlyList<string> keys, IReadOnlyDictionary<string, long> amounts, long number, DateTimeOffset now)
    {
        var taken = keys.Take(KeyPageSize).ToArray();
        var page = new AppliedKeyPage(number, taken, taken.Select(k => amounts.GetValueOrDefault(k)).ToArray(), now);
        await WriteAsync(KeySlot(number), page);
        return page;
    }

    /// <summary>Adds a stored page to the window, dropping the oldest beyond it.</summary>
    public void Add(LedgerEntryPage page)
    {
        _entryPages.Add(page);
        if (_entryPages.Count > _entryPagesKept) _entryPages.RemoveAt(0);
    }

    /// <summary>
    /// Adds a stored key page to the window; the oldest page beyond it lingers (below), then is dropped. Returns the
    /// page that left the window, if one did: the caller records its time with the row that counts the new page.
    /// </summary>
    /// <remarks>
    /// A key page that leaves the window stays recognised in memory for <see cref="KeyLinger"/> more (up to
    /// <see cref="MaxLingeringPages"/> pages): the window counts operations, and on a busy wallet it passes a key in
    /// seconds, sooner than a settlement's retries (about 16 s) end. Only this activation remembers them.
    /// </remarks>
    public AppliedKeyPage? Add(AppliedKeyPage page, DateTimeOffset now)
    {
        _keyPages.Add(page);
        for (var i = 0; i < page.Keys.Count; i++) _applied[page.Keys[i]] = page.Amounts[i];
        AppliedKeyPage? left = null;
        if (_keyPages.Count > _keyPagesKept)
        {
            left = _keyPages[0];
            _lingering.Enqueue((now, left));
            _keyPages.RemoveAt(0);
        }
        while (_lingering.TryPeek(out var oldest) && (now - oldest.LeftAt > KeyLinger || _lingering.Count > MaxLingeringPages))
        {
            foreach (var old in oldest.Page.Keys) _applied.Remove(old);
            if (oldest.Page.WrittenAt > ForgottenBefore) ForgottenBefore = oldest.Page.WrittenAt;
            _lingering.Dequeue();
        }
        return left;
    }

    /// <summary>How long keys that left the window are still recognised by the activation that archived them.</summary>
    public static readonly TimeSpan KeyLinger = TimeSpan.FromMinutes(1);

    /// <summary>At most this many pages linger (64 keys each): a bound on memory at any rate.</summary>
    public const int MaxLingeringPages = 2_048;

    private readonly Queue<(DateTimeOffset LeftAt, AppliedKeyPage Page)> _lingering = new();

    private string EntrySlot(long number) => $"wallet.entries.{number % (_entryPagesKept + 1)}";

    private string KeySlot(long number) => $"wallet.keys.{number % (_keyPagesKept + 1)}";

    private static IEnumerable<long> Range(long count, int kept)
    {
        for (var n = Math.Max(0, count - kept); n < count; n++) yield return n;
    }

    private async Task<T> ReadAsync<T>(string slot, long number, Func<T, long> numberOf) where T : class =>
        (await ReadAsync(slot, number, numberOf, newerMayReplace: false))!;

    /// <param name="newerMayReplace">A page read on demand may have been overwritten by a newer one since the row was
    /// read (the window moved past it): null then, not an error.</param>
    private async Task<T?> ReadAsync<T>(string slot, long number, Func<T, long> numberOf, bool newerMayReplace) where T : class
    {
        var row = new GrainState<T>();
        await _storage.ReadStateAsync(slot, _grainId, row);
        if (row.RecordExists && row.State is not null && newerMayReplace && numberOf(row.State) > number) return null;
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
