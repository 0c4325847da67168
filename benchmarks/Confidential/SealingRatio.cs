using System.Diagnostics;

namespace Cocoon.Benchmarks.Confidential;

/// <summary>
/// <c>confidential-ratio [rounds]</c>: sealing against its primitives, interleaved. Each round times a batch of the raw
/// primitives, then a batch of the sealing operation, back to back, and keeps their ratio; the report is the median over
/// rounds. On a shared, loaded machine this cancels the load drift that separate BenchmarkDotNet runs of each method
/// suffer. Uses the <see cref="ConfidentialBenchmarks"/> methods themselves. The last two pairs compare envelope versions:
/// version 1 in the first column, version 2 (a reused sender key) in the second.
/// </summary>
internal static class SealingRatio
{
    public static int Run(string[] args)
    {
        var rounds = args is [var r, ..] && int.TryParse(r, out var n) && n > 0 ? n : 200;
        var bench = new ConfidentialBenchmarks();
        bench.Setup();
        try
        {
            Console.WriteLine($"{"pair",-34} {"raw median",12} {"sealed median",14} {"median ratio",13}  (rounds: {rounds})");
            Report("seal+open 1 KB, 1 candidate", bench.RawPrimitives1, bench.SealOpen1, 20, rounds);
            Report("seal+open 1 KB, 3 candidates", bench.RawPrimitives3, bench.SealOpen3, 10, rounds);
            Report("256-token response", bench.RawStream256, bench.StreamedResponse256, 2, rounds);
            // Here the first column is version 1 and the second version 2 (a reused sender key): the ratio is v2 / v1.
            Report("version 1 → 2, 1 candidate", bench.SealOpen1, bench.SealOpen1V2, 20, rounds);
            Report("version 1 → 2, 3 candidates", bench.SealOpen3, bench.SealOpen3V2, 10, rounds);
            var cached = Median(Enumerable.Range(0, rounds).Select(_ => Time(() => bench.VerifyCached() ? 1 : 0, 10_000)).ToList());
            Console.WriteLine($"{"verify evidence, cached hit",-34} {cached * 1e9,10:F1} ns");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static void Report(string name, Func<int> raw, Func<int> sealedOp, int batch, int rounds)
    {
        for (var i = 0; i < 50; i++)
        {
            raw();
            sealedOp();
        }
        var rawTimes = new List<double>(rounds);
        var sealedTimes = new List<double>(rounds);
        var ratios = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var a = Time(raw, batch);
            var b = Time(sealedOp, batch);
            rawTimes.Add(a);
            sealedTimes.Add(b);
            ratios.Add(b / a);
        }
        Console.WriteLine($"{name,-34} {Median(rawTimes) * 1e6,10:F1} µs {Median(sealedTimes) * 1e6,12:F1} µs {Median(ratios),12:F2}×");
    }

    /// <summary>Seconds per call, over a batch.</summary>
    private static double Time(Func<int> op, int batch)
    {
        var sink = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < batch; i++)
        {
            sink += op();
        }
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
        GC.KeepAlive(sink);
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
