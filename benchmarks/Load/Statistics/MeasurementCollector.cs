namespace Cocoon.Benchmarks.Load;

/// <summary>Accumulates one side (OK or failed) of a scenario or step. Not thread-safe: its owner locks.</summary>
internal sealed class MeasurementCollector
{
    private readonly LatencyHistogram _latency = new();
    private readonly Dictionary<string, (long Count, string Message)> _statusCodes = [];
    private long _bytes;
    private long _minBytes;
    private long _maxBytes;

    public long Count => _latency.Count;

    public LatencyHistogram Latency => _latency;

    public void Record(TimeSpan latency, IResponse response)
    {
        var size = Math.Max(0, response.SizeBytes);
        if (_latency.Count == 0 || size < _minBytes) _minBytes = size;
        if (_latency.Count == 0 || size > _maxBytes) _maxBytes = size;
        _latency.Record(latency);
        _bytes += size;
        var code = string.IsNullOrEmpty(response.StatusCode) ? (response.IsError ? "fail" : "ok") : response.StatusCode;
        _statusCodes[code] = _statusCodes.TryGetValue(code, out var seen)
            ? (seen.Count + 1, seen.Message.Length > 0 ? seen.Message : response.Message)
            : (1, response.Message);
    }

    public MeasurementStats ToStats(TimeSpan duration, long allRequests)
    {
        var count = _latency.Count;
        var seconds = duration.TotalSeconds;
        return new MeasurementStats(
            new RequestStats(count, seconds > 0 ? count / seconds : 0, allRequests > 0 ? 100.0 * count / allRequests : 0),
            _latency.ToStats(),
            new DataTransferStats(_minBytes, count > 0 ? (double)_bytes / count : 0, _maxBytes, _bytes),
            [.. _statusCodes
                .OrderByDescending(s => s.Value.Count)
                .ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new StatusCodeStats(s.Key, s.Value.Count, s.Value.Message))]);
    }
}
