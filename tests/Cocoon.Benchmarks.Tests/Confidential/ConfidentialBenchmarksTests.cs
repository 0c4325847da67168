using Cocoon.Benchmarks.Confidential;

namespace Cocoon.Benchmarks.Tests.Confidential;

/// <summary>Runs each benchmark body once, so the benchmarks cannot rot into measuring a failure.</summary>
public sealed class ConfidentialBenchmarksTests
{
    [Fact]
    public void Every_benchmark_body_does_its_work()
    {
        var benchmarks = new ConfidentialBenchmarks();
        benchmarks.Setup();
        try
        {
            Assert.Equal(1024, benchmarks.RawPrimitives1());
            Assert.Equal(1024, benchmarks.RawPrimitives3());
            Assert.Equal(1024, benchmarks.SealOpen1());
            Assert.Equal(1024, benchmarks.SealOpen3());
            Assert.Equal(256 * 6, benchmarks.StreamedResponse256());
            Assert.True(benchmarks.VerifyQuoteUncached());
            Assert.True(benchmarks.VerifySimulatedUncached());
            Assert.True(benchmarks.VerifyCached());
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }
}
