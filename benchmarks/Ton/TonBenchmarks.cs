using BenchmarkDotNet.Attributes;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Wallets;

namespace Cocoon.Benchmarks.Ton;

/// <summary>
/// Cell hashing and BOC parse/serialize (what the chain watcher does for every transaction page), and building a
/// full highload-v3 payout batch (what the treasury does per payout run).
/// </summary>
[MemoryDiagnoser]
public class TonBenchmarks
{
    private byte[] _data = [];
    private Cell[] _children = [];
    private Cell _tree = Cell.Empty;
    private byte[] _treeBoc = [];
    private byte[] _treeBocIndexCrc = [];
    private KeyPair _key = null!;
    private HighloadWalletV3 _treasury = null!;
    private List<InternalMessage> _payouts = [];

    /// <summary>Cells in the benchmark tree (a DAG of full 1023-bit cells with up to four references each).</summary>
    [Params(1000)]
    public int Cells { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _data = new byte[128];
        random.NextBytes(_data);
        _children = Enumerable.Range(0, 4).Select(i => new CellBuilder().StoreUInt((ulong)i, 64).Build()).ToArray();

        _tree = BuildTree(Cells);
        _treeBoc = _tree.ToBoc();
        _treeBocIndexCrc = _tree.ToBoc(withIndex: true, withCrc32C: true);

        _key = KeyPair.FromSeed(new byte[32]);
        _treasury = new HighloadWalletV3(_key.PublicKey.Span);
        _payouts = Enumerable.Range(0, HighloadWalletV3.MaxBatchSize)
            .Select(i => InternalMessage.WithComment(new TonAddress(0, _data.AsSpan(i % 64, 32)), 1_000_000_000L + i, $"payout:{i:x12}"))
            .ToList();
    }

    /// <summary>
    /// The benchmark tree: a DAG of <paramref name="cells"/> near-full cells (1023 bits) with up to four references each,
    /// from a fixed seed, so both sides of <see cref="TonCompareCommand"/> work on the same bytes.
    /// </summary>
    public static Cell BuildTree(int cells)
    {
        var random = new Random(42);
        var data = new byte[128];
        random.NextBytes(data);
        var pool = new List<Cell>();
        for (var i = 0; i < cells; i++)
        {
            var builder = new CellBuilder().StoreBits(data, random.Next(0, 8), 1000).StoreUInt((ulong)i, 23);
            for (var r = 0; r < Math.Min(4, pool.Count); r++)
            {
                builder.StoreRef(pool[pool.Count - 1 - random.Next(0, Math.Min(pool.Count, 16))]);
            }

            pool.Add(builder.Build());
        }

        return pool[^1];
    }

    /// <summary>One full cell with four references: its representation hash is computed at construction.</summary>
    [Benchmark]
    public Cell HashFullCell() =>
        new CellBuilder().StoreBytes(_data.AsSpan(0, 127)).StoreRef(_children[0]).StoreRef(_children[1])
            .StoreRef(_children[2]).StoreRef(_children[3]).Build();

    [Benchmark]
    public Cell ParseBoc() => Boc.DeserializeSingle(_treeBoc);

    [Benchmark]
    public Cell ParseBocIndexCrc() => Boc.DeserializeSingle(_treeBocIndexCrc);

    [Benchmark]
    public byte[] SerializeBoc() => Boc.Serialize(_tree);

    [Benchmark]
    public byte[] SerializeBocIndexCrc() => Boc.Serialize(_tree, withIndex: true, withCrc32C: true);

    /// <summary>254 transfers with comments, action list, internal message to self, signature.</summary>
    [Benchmark]
    public Cell HighloadBatchOf254() =>
        _treasury.CreateBatchTransfer(_key, new HighloadQueryId(1, 1), 1_800_000_000, _payouts);
}
