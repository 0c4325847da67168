namespace Cocoon.Benchmarks.Load;

/// <summary>Accumulates token timings of OK streamed answers. Not thread-safe: its owner locks.</summary>
internal sealed class LlmCollector
{
    private readonly LatencyHistogram _timeToFirstToken = new();
    private readonly LatencyHistogram _interToken = new();
    private readonly LatencyHistogram _timePerOutputToken = new();
    private long _tokens;

    public long Requests => _timeToFirstToken.Count;

    /// <summary>Records one answer and returns its time per output token (null with fewer than two tokens).</summary>
    public TimeSpan? Record(TimeSpan latency, TokenUsage tokens)
    {
        _timeToFirstToken.Record(tokens.TimeToFirstToken);
        _tokens += tokens.TokenCount;
        if (tokens.TokenCount < 2)
        {
            return null;
        }

        TimeSpan perToken;
        if (tokens.InterTokenLatencies is { } gaps)
        {
            var total = TimeSpan.Zero;
            foreach (var gap in gaps)
            {
                _interToken.Record(gap);
                total += gap;
            }

            perToken = total / gaps.Count;
        }
        else
        {
            // Without per-token stamps every gap is taken as the average one.
            perToken = (latency - tokens.TimeToFirstToken) / (tokens.TokenCount - 1);
            if (perToken < TimeSpan.Zero) perToken = TimeSpan.Zero;
            _interToken.Record(LatencyHistogram.ToMicros(perToken), tokens.TokenCount - 1);
        }

        _timePerOutputToken.Record(perToken);
        return perToken;
    }

    public LlmStats? ToStats(TimeSpan duration)
    {
        if (Requests == 0)
        {
            return null;
        }

        var seconds = duration.TotalSeconds;
        return new LlmStats(
            Requests,
            _timeToFirstToken.ToStats(),
            _interToken.ToStats(),
            _timePerOutputToken.ToStats(),
            _tokens,
            seconds > 0 ? _tokens / seconds : 0);
    }
}
