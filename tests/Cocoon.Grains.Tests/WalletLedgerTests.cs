using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Cocoon.Grains.Tests;

/// <summary>
/// The wallet's paged ledger and coalesced writes: history past one page, a restart, idempotency of operations whose
/// keys moved to archived pages, a row written before pages existed, and concurrent reservations of one account.
/// </summary>
public sealed class WalletLedgerTests : IDisposable
{
    private static readonly CocoonCluster.SiloSpec[] Layout = [new(SiloRole.Core | SiloRole.Worker, "n1")];
    private readonly string _dir = Directory.CreateTempSubdirectory("cocoon-wallet-").FullName;

    [Fact]
    public async Task History_past_many_pages_survives_a_restart_and_repeats_change_nothing()
    {
        var db = Path.Combine(_dir, "grains.db");
        const string account = "paged-account";
        const int credits = 700; // > 5 key pages and, with the debits, > 1,000 entries
        AccountBalance before;
        LedgerEntry paged;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            // Concurrent calls share writes; every one of them must still land exactly once.
            await Task.WhenAll(Enumerable.Range(0, credits).Select(i => wallet.Credit($"c{i}", LedgerEntryKind.Deposit, 1_000 + i, "test", "")));
            await Task.WhenAll(Enumerable.Range(0, 400).Select(i => wallet.Debit($"d{i}", LedgerEntryKind.Payout, 500, "test", "")));
            before = await wallet.GetBalance();
            Assert.Equal(Enumerable.Range(0, credits).Sum(i => 1_000L + i) - 400 * 500, before.BalanceNano);
            Assert.Equal(credits + 400, before.EntryCount);
            // A debit well inside the 1,000-entry window and out of the row's tail (which debit: concurrency decides).
            paged = (await wallet.GetEntries(1_000)).First(e => e.Sequence == 900);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(before, await wallet.GetBalance());

            // A repeat of an operation whose entry was archived answers with that entry (entry pages are read on demand).
            var archived = await wallet.Debit(paged.ExternalId, LedgerEntryKind.Payout, 500, "test", "");
            Assert.Equal(paged, archived); // the archived entry itself, not a stand-in

            // The newest 1,000 entries, newest first, with no gap across pages and the tail.
            var entries = await wallet.GetEntries(5_000);
            Assert.Equal(1_000, entries.Count);
            Assert.Equal(Enumerable.Range(0, 1_000).Select(i => before.EntryCount - i), entries.Select(e => e.Sequence));

            // Keys that were archived to pages (the oldest) and those in the tail are still recognised.
            var old = await wallet.Credit("c0", LedgerEntryKind.Deposit, 1_000, "test", "");
            Assert.Equal(1_000, old.AmountNano);
            await wallet.Debit("d399", LedgerEntryKind.Payout, 500, "test", "");
            Assert.Equal(before.BalanceNano, (await wallet.GetBalance()).BalanceNano);
            Assert.Equal(before.EntryCount, (await wallet.GetBalance()).EntryCount);
        }
    }

    [Fact]
    public async Task A_wallet_row_written_before_pages_moves_its_history_to_pages_on_the_next_write()
    {
        var db = Path.Combine(_dir, "legacy.db");
        const string account = "legacy-account";
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            // The layout before pages: everything in the row, 1,000 entries and 4,096 keys.
            var legacy = new WalletState { Balance = 4_096 };
            for (var i = 0; i < 4_096; i++)
            {
                legacy.AppliedKeys.Add($"Deposit:old{i}");
                legacy.AppliedAmounts[$"Deposit:old{i}"] = 1;
            }
            for (var i = 0; i < 1_000; i++)
                legacy.Recent.Add(new LedgerEntry(3_097 + i, LedgerEntryKind.Deposit, $"old{3_096 + i}", 1, 3_097 + i, "test", "", DateTimeOffset.UtcNow));
            legacy.NextSequence = 4_097;
            var storage = c.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CocoonStorage.Name);
            var id = c.Internal.GetGrain<IWalletGrain>(account).GetGrainId();
            await storage.WriteStateAsync("wallet", id, new GrainState<WalletState>(legacy));

            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(4_096, (await wallet.GetBalance()).BalanceNano);
            await wallet.Credit("new", LedgerEntryKind.Deposit, 4, "test", "");
            var row = new GrainState<WalletState>();
            await storage.ReadStateAsync("wallet", id, row);
            Assert.Equal(WalletHistory.NewEntryPageSize, row.State!.EntryPageSize); // no pages yet: it takes the new size
            Assert.True(row.State.Recent.Count < row.State.EntryPageSize);
            Assert.True(row.State.AppliedKeys.Count < WalletHistory.KeyPageSize);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(4_100, (await wallet.GetBalance()).BalanceNano);
            await wallet.Credit("old0", LedgerEntryKind.Deposit, 1, "test", ""); // applied before the migration
            await wallet.Credit("new", LedgerEntryKind.Deposit, 4, "test", "");
            Assert.Equal(4_100, (await wallet.GetBalance()).BalanceNano);
            Assert.Equal("new", (await wallet.GetEntries(1)).Single().ExternalId);
        }
    }

    [Fact]
    public async Task A_wallet_with_pages_of_the_old_size_keeps_that_size_and_its_history()
    {
        var db = Path.Combine(_dir, "old-pages.db");
        const string account = "old-pages-account";
        const int oldSize = WalletHistory.LegacyEntryPageSize, slots = (1_000 + oldSize - 1) / oldSize + 1;
        LedgerEntry Entry(int sequence) => new(sequence, LedgerEntryKind.Deposit, $"old{sequence}", 1, sequence, "test", "", DateTimeOffset.UtcNow);
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            // Three pages of 32 and a tail of 5, as wallets wrote them before the page size was recorded in the row.
            var storage = c.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CocoonStorage.Name);
            var id = c.Internal.GetGrain<IWalletGrain>(account).GetGrainId();
            var wallet = new WalletState { Balance = 101, NextSequence = 102, EntryPages = 3 };
            for (var n = 0; n < 3; n++)
                await storage.WriteStateAsync($"wallet.entries.{n % slots}", id,
                    new GrainState<LedgerEntryPage>(new LedgerEntryPage(n, Enumerable.Range(1 + n * oldSize, oldSize).Select(Entry).ToArray())));
            wallet.Recent.AddRange(Enumerable.Range(97, 5).Select(Entry));
            await storage.WriteStateAsync("wallet", id, new GrainState<WalletState>(wallet));

            var grain = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(Enumerable.Range(1, 101).Reverse().Select(i => (long)i), (await grain.GetEntries(200)).Select(e => e.Sequence));
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grain.Credit($"new{i}", LedgerEntryKind.Deposit, 1, "test", "")));
            var row = new GrainState<WalletState>();
            await storage.ReadStateAsync("wallet", id, row);
            Assert.Equal(oldSize, row.State!.EntryPageSize);
            Assert.Equal(4, row.State.EntryPages);
            Assert.Equal(141 - 4 * oldSize, row.State.Recent.Count);
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var grain = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(141, (await grain.GetBalance()).BalanceNano);
            Assert.Equal(Enumerable.Range(1, 141).Reverse().Select(i => (long)i), (await grain.GetEntries(1_000)).Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task Operations_repeated_after_their_keys_left_the_window_apply_once()
    {
        var db = Path.Combine(_dir, "window.db");
        const string account = "window-account";
        AccountBalance before;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            await c.Fund(account, 100_000);
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            await wallet.Reserve("job-a", 1_000, DateTimeOffset.UtcNow.AddMinutes(5));
            Assert.Equal(400, await wallet.Capture("job-a", 400, "owner"));
            await wallet.Credit("job-b", LedgerEntryKind.Earn, 250, "someone", "earning");
            // 4,200 more operations: the idempotency window (4,096 keys) moves past both.
            for (var i = 0; i < 4_200; i += 300)
                await Task.WhenAll(Enumerable.Range(i, 300).Select(k => wallet.Credit($"fill{k}", LedgerEntryKind.Deposit, 1, "test", "")));
            before = await wallet.GetBalance();

            // Settlement retried seconds later (its first call timed out but had applied): the same outcomes, nothing more.
            Assert.Equal(400, await wallet.Capture("job-a", 400, "owner"));
            Assert.Equal(250, (await wallet.Credit("job-b", LedgerEntryKind.Earn, 250, "someone", "earning")).AmountNano);
            Assert.Equal(before, await wallet.GetBalance());
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            // A new activation knows only the window: a late capture still finds no reservation to take from.
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Equal(0, await wallet.Capture("job-a", 400, "owner"));
            Assert.Equal(before, await wallet.GetBalance());
        }
    }

    [Fact]
    public async Task A_credit_or_capture_first_sent_before_the_window_forgot_keys_is_not_applied_unless_its_key_is_still_known()
    {
        var db = Path.Combine(_dir, "horizon.db");
        const string account = "horizon-account";
        var sent = DateTimeOffset.UtcNow;
        AccountBalance before;
        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            await Task.Delay(WalletGrain.ClockSkewAllowance * 2); // the pages below are written well after 'sent'
            Assert.NotNull(await wallet.CreditIssuedAt("job-1", LedgerEntryKind.Earn, 250, "client", "earning", sent));
            await wallet.Reserve("job-c", 200, DateTimeOffset.UtcNow.AddMinutes(5));
            Assert.Equal(150, await wallet.CaptureIssuedAt("job-c", 150, "owner", sent));
            // 4,200 more operations: the idempotency window (4,096 keys) moves past job-1's key.
            for (var i = 0; i < 4_200; i += 300)
                await Task.WhenAll(Enumerable.Range(i, 300).Select(k => wallet.Credit($"fill{k}", LedgerEntryKind.Deposit, 1, "test", "")));
            before = await wallet.GetBalance();

            // This activation still recognises the key (it lingers a minute after leaving the window): the same entry.
            Assert.Equal(250, (await wallet.CreditIssuedAt("job-1", LedgerEntryKind.Earn, 250, "client", "earning", sent))!.AmountNano);
            Assert.Equal(150, await wallet.CaptureIssuedAt("job-c", 150, "owner", sent));
            Assert.Equal(before, await wallet.GetBalance());
        }

        await using (var c = await CocoonCluster.StartAsync(Layout, sqlitePath: db))
        {
            // After a restart only the stored window is known, and keys applied after 'sent' have left it: the wallet
            // cannot tell a repeat from a first, so it applies nothing (a plain Credit would have paid twice).
            var wallet = c.Internal.GetGrain<IWalletGrain>(account);
            Assert.Null(await wallet.CreditIssuedAt("job-1", LedgerEntryKind.Earn, 250, "client", "earning", sent));
            // Likewise a capture: it ran (its reservation is gone) and its amount is forgotten. Nothing is taken again.
            Assert.Null(await wallet.CaptureIssuedAt("job-c", 150, "owner", sent));
            Assert.Equal(0, await wallet.Capture("job-c", 150, "owner")); // without an issue time: nothing, as before
            Assert.Equal(before, await wallet.GetBalance());
            // A capture first sent now for a job this wallet never reserved has nothing to take, for certain.
            Assert.Equal(0, await wallet.CaptureIssuedAt("job-never", 150, "owner", DateTimeOffset.UtcNow));

            // A credit first sent after the horizon is new for certain: it applies, once.
            var now = DateTimeOffset.UtcNow;
            Assert.Equal(100, (await wallet.CreditIssuedAt("job-2", LedgerEntryKind.Earn, 100, "client", "earning", now))!.AmountNano);
            Assert.Equal(100, (await wallet.CreditIssuedAt("job-2", LedgerEntryKind.Earn, 100, "client", "earning", now))!.AmountNano);
            Assert.Equal(before.BalanceNano + 100, (await wallet.GetBalance()).BalanceNano);
        }
    }

    [Fact]
    public async Task The_operator_pays_or_drops_a_suspense_item_once_and_never_both()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        var grains = c.Internal;
        var suspense = grains.GetGrain<IWalletGrain>(Accounts.Suspense);
        long Balance(AccountBalance b) => b.BalanceNano;
        // Shares a job booked to suspense because their accounts' wallets could not tell whether they were paid.
        await suspense.Credit("job-x/acct-a", LedgerEntryKind.Earn, 500, "client", "unverified");
        await suspense.Credit("job-y/acct-b", LedgerEntryKind.Earn, 300, "client", "unverified");
        await suspense.Credit("job-z/acct-c", LedgerEntryKind.Commission, 200, "client", "unverified");
        await grains.GetGrain<IWalletGrain>("acct-b").Credit("job-y", LedgerEntryKind.Earn, 300, "client", "job on node n1"); // acct-b was paid

        // acct-a lacks the job: paying moves the share there, once however often it is asked.
        var paid = await SuspenseItems.PayAsync(grains, "job-x/acct-a");
        Assert.Equal(("paid", 500L, LedgerEntryKind.Earn), (paid.Outcome, paid.AmountNano, paid.Kind));
        Assert.Equal("paid", (await SuspenseItems.PayAsync(grains, "job-x/acct-a")).Outcome);
        Assert.Equal(500, Balance(await grains.GetGrain<IWalletGrain>("acct-a").GetBalance()));
        Assert.Contains(await grains.GetGrain<IWalletGrain>("acct-a").GetEntries(5), e => e.ExternalId == "job-x" && e.Kind == LedgerEntryKind.Earn);

        // acct-b still knows the job's key: paying finds it paid and writes the suspense copy off.
        Assert.Equal("already-paid", (await SuspenseItems.PayAsync(grains, "job-y/acct-b")).Outcome);
        Assert.Equal(300, Balance(await grains.GetGrain<IWalletGrain>("acct-b").GetBalance()));

        // Dropped on the operator's word: it leaves suspense, and cannot be paid afterwards (nor a paid one dropped).
        Assert.Equal("dropped", (await SuspenseItems.DropAsync(grains, "job-z/acct-c")).Outcome);
        await Assert.ThrowsAsync<LedgerException>(() => SuspenseItems.PayAsync(grains, "job-z/acct-c"));
        await Assert.ThrowsAsync<LedgerException>(() => SuspenseItems.DropAsync(grains, "job-x/acct-a"));
        Assert.Equal(0, Balance(await grains.GetGrain<IWalletGrain>("acct-c").GetBalance()));
        Assert.Equal(0, Balance(await suspense.GetBalance()));

        // Ids that name no share are refused.
        await Assert.ThrowsAsync<InvalidJobException>(() => SuspenseItems.PayAsync(grains, "job-q/acct-a"));
        await Assert.ThrowsAsync<InvalidJobException>(() => SuspenseItems.DropAsync(grains, "no-slash"));
    }

    [Fact]
    public async Task A_capture_after_its_reservation_expired_takes_the_cost_from_the_available_balance()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        const string account = "expiry-account";
        await c.Fund(account, 10_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(account);
        await wallet.Reserve("job-late", 1_000, DateTimeOffset.UtcNow.AddMilliseconds(300));
        await Task.Delay(600);
        Assert.Equal(0, (await wallet.GetBalance()).ReservedNano); // expired, released

        Assert.Equal(300, await wallet.Capture("job-late", 300, "owner"));
        Assert.Equal(300, await wallet.Capture("job-late", 300, "owner")); // a repeat: the same capture
        var after = await wallet.GetBalance();
        Assert.Equal(10_000 - 300, after.BalanceNano);
        Assert.Equal(0, after.ReservedNano);
    }

    [Fact]
    public async Task Concurrent_reservations_of_one_account_never_exceed_its_balance()
    {
        await using var c = await CocoonCluster.StartAsync(Layout);
        const string account = "busy-account";
        await c.Fund(account, 100_000);
        var wallet = c.Internal.GetGrain<IWalletGrain>(account);
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 250).Select(async i =>
        {
            try { await wallet.Reserve($"job{i}", 1_000, expires); return true; }
            catch (InsufficientFundsException) { return false; }
        }));
        Assert.Equal(100, outcomes.Count(ok => ok));
        var reserved = await wallet.GetBalance();
        Assert.Equal(100_000, reserved.ReservedNano);
        Assert.Equal(0, reserved.AvailableNano);

        // Settle them all at once, twice: each capture applies once.
        var won = Enumerable.Range(0, 250).Where(i => outcomes[i]).ToArray();
        for (var round = 0; round < 2; round++)
            Assert.All(await Task.WhenAll(won.Select(i => wallet.Capture($"job{i}", 400, "owner"))), captured => Assert.Equal(400, captured));
        var settled = await wallet.GetBalance();
        Assert.Equal(100_000 - 100 * 400, settled.BalanceNano);
        Assert.Equal(0, settled.ReservedNano);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
