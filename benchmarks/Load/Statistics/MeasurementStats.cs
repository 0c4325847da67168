namespace Cocoon.Benchmarks.Load;

/// <summary>The OK or the failed side of a scenario or step (NBomber's <c>MeasurementStats</c>).</summary>
public sealed record MeasurementStats(
    RequestStats Request,
    LatencyStats Latency,
    DataTransferStats DataTransfer,
    IReadOnlyList<StatusCodeStats> StatusCodes);

/// <summary>How many requests, per second over the scenario's duration, and as a percent of all requests.</summary>
public sealed record RequestStats(long Count, double RPS, double Percent);

public sealed record DataTransferStats(long MinBytes, double MeanBytes, long MaxBytes, long AllBytes);

/// <summary>A status code with how often it occurred and one of its messages.</summary>
public sealed record StatusCodeStats(string StatusCode, long Count, string Message);
