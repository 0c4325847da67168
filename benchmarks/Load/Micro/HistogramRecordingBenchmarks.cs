using BenchmarkDotNet.Attributes;
using HdrHistogram;

namespace Cocoon.Benchmarks.Load.Micro;

/// <summary>
/// What recording one measurement costs the load generator: raw HdrHistogram, the harness's latency histogram,
/// and the full per-iteration path (locked collector with status codes and the per-second series).
/// </summary>
[MemoryDiagnoser]
public class HistogramRecordingBenchmarks
{
    private const int Values = 1024;
    private readonly long[] _micros = new long[Values];
    private readonly IResponse _ok = Response.Ok(statusCode: "200", sizeBytes: 128);
    private LongHistogram _raw = null!;
    private LatencyHistogram _latency = null!;
    private StatsCollector _collector = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Log-normal-ish spread from 100 µs to ~1 s, fixed seed so runs compare.
        var random = new Random(42);
        for (var i = 0; i < Values; i++)
        {
            _micros[i] = (long)Math.Exp(4.6 + random.NextDouble() * 9.2);
        }

        _raw = new LongHistogram(LatencyHistogram.HighestMicros, 3);
        _latency = new LatencyHistogram();
        _collector = new StatsCollector("bench", slo: null);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Values)]
    public void HdrHistogramRecordValue()
    {
        foreach (var v in _micros)
        {
            _raw.RecordValue(v);
        }
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public void LatencyHistogramRecord()
    {
        foreach (var v in _micros)
        {
            _latency.Record(v);
        }
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public void CollectorRecordIteration()
    {
        var at = TimeSpan.Zero;
        foreach (var v in _micros)
        {
            at += TimeSpan.FromMilliseconds(1);
            _collector.Record(_ok, TimeSpan.FromMicroseconds(v), at, tokens: null);
        }
    }
}
