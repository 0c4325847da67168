namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Streamed-answer statistics over the OK responses that carried token timings: time to first token (from when
/// the iteration was due), inter-token latency, time per output token per request, throughput and goodput.
/// </summary>
public sealed record LlmStats(
    long Requests,
    LatencyStats TimeToFirstToken,
    LatencyStats InterTokenLatency,
    LatencyStats TimePerOutputToken,
    long OutputTokens,
    double OutputTokensPerSecond);

/// <summary>Requests that succeeded within the <see cref="Load.Slo"/>: count, share of all requests, per second.</summary>
public sealed record GoodputStats(Slo Slo, long Count, double Percent, double PerSecond);
