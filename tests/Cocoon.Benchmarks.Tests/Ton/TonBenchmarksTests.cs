using Cocoon.Benchmarks.Ton;
using Cocoon.Ton.Cells;

namespace Cocoon.Benchmarks.Tests.Ton;

/// <summary>Runs each TON benchmark once so that the cases keep measuring what they claim.</summary>
public sealed class TonBenchmarksTests
{
    [Fact]
    public void Every_case_produces_consistent_results()
    {
        var benchmarks = new TonBenchmarks { Cells = 50 };
        benchmarks.Setup();

        var tree = benchmarks.ParseBoc();
        Assert.Equal(tree, benchmarks.ParseBocIndexCrc());
        Assert.Equal(tree, Boc.DeserializeSingle(benchmarks.SerializeBoc()));
        Assert.Equal(tree, Boc.DeserializeSingle(benchmarks.SerializeBocIndexCrc()));
        Assert.Equal(4, benchmarks.HashFullCell().Refs.Count);
        Assert.Equal(1, benchmarks.HighloadBatchOf254().BeginParse().RemainingRefs);
    }
}
