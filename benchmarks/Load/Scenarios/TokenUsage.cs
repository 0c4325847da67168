namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Token timings of one streamed answer. Without per-token gaps, the time per output token is derived
/// from the latency: (latency - time to first token) / (tokens - 1).
/// </summary>
public sealed record TokenUsage
{
    public TokenUsage(TimeSpan timeToFirstToken, int tokenCount, IReadOnlyList<TimeSpan>? interTokenLatencies = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToFirstToken, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        if (interTokenLatencies is not null && tokenCount > 0 && interTokenLatencies.Count != tokenCount - 1)
        {
            throw new ArgumentException(
                $"{tokenCount} tokens have {tokenCount - 1} inter-token gaps, not {interTokenLatencies.Count}.",
                nameof(interTokenLatencies));
        }

        TimeToFirstToken = timeToFirstToken;
        TokenCount = tokenCount;
        InterTokenLatencies = interTokenLatencies;
    }

    public TimeSpan TimeToFirstToken { get; }

    public int TokenCount { get; }

    public IReadOnlyList<TimeSpan>? InterTokenLatencies { get; }
}
