using BenchmarkDotNet.Attributes;
using Cocoon.Grains.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cocoon.Benchmarks.Grains;

/// <summary>
/// What one wallet write costs the silo before the store sees it: copying and serializing the wallet row. "full
/// history" is the row as it was before ledger pages (1,000 entries and 4,096 idempotency keys in every write of a
/// busy account); "paged" is the row now (a tail of half a page of entries and half a page of keys), plus one full
/// entry page, which is written once per <see cref="WalletHistory.EntryPageSize"/> entries.
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private Serializer _serializer = null!;
    private WalletState _full = null!;
    private WalletState _paged = null!;
    private LedgerEntryPage _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        _serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(WalletState).Assembly)).BuildServiceProvider()
            .GetRequiredService<Serializer>();
        _full = Wallet(entries: 1_000, keys: 4_096);
        _paged = Wallet(entries: WalletHistory.NewEntryPageSize / 2, keys: WalletHistory.KeyPageSize / 2);
        _page = new LedgerEntryPage(7, Wallet(WalletHistory.NewEntryPageSize, 0).Recent.ToArray());
    }

    [Benchmark(Baseline = true, Description = "wallet write, full history in the row")]
    public int FullHistoryWrite() => _serializer.SerializeToArray(_full.Snapshot()).Length;

    [Benchmark(Description = "wallet write, paged row (tail only)")]
    public int PagedWrite() => _serializer.SerializeToArray(_paged.Snapshot()).Length;

    [Benchmark(Description = "ledger page of 8 entries (once per 8 entries)")]
    public int PageWrite() => _serializer.SerializeToArray(_page).Length;

    [Benchmark(Description = "job cost: Pricing.Cost + split")]
    public long Cost()
    {
        var cost = Pricing.Cost(Registry, 1_000, 12, 0, 8);
        return cost.ChargeNano - cost.WorkerNano;
    }

    private static readonly Cocoon.Registry.NetworkParameters Registry = new();

    /// <summary>A client wallet after many jobs: reserve, capture and release entries, capture keys.</summary>
    private static WalletState Wallet(int entries, int keys)
    {
        var at = DateTimeOffset.UtcNow;
        var wallet = new WalletState { Balance = 4_000_000_000_000_000, NextSequence = entries + 1 };
        for (var i = 0; i < entries; i++)
        {
            var job = $"job-{i / 3:D6}-0123456789abcdef0123456789abcdef";
            wallet.Recent.Add((i % 3) switch
            {
                0 => new LedgerEntry(i + 1, LedgerEntryKind.Reserve, job, 0, wallet.Balance, "", "reserved 1216000", at),
                1 => new LedgerEntry(i + 1, LedgerEntryKind.Capture, job, -41_000, wallet.Balance, "bench-worker-0", "job cost, reservation 1216000", at),
                _ => new LedgerEntry(i + 1, LedgerEntryKind.Release, job, 0, wallet.Balance, "", "released 1175000", at),
            });
        }
        for (var i = 0; i < keys; i++)
        {
            var key = $"Capture:job-{i:D6}-0123456789abcdef0123456789abcdef";
            wallet.AppliedKeys.Add(key);
            wallet.AppliedAmounts[key] = -41_000;
        }
        wallet.Reservations["job-in-flight"] = new Reservation(1_216_000, at.AddMinutes(6));
        return wallet;
    }
}
