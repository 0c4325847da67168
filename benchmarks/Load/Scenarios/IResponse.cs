namespace Cocoon.Benchmarks.Load;

/// <summary>The outcome of one scenario iteration or one step, as the statistics see it.</summary>
public interface IResponse
{
    bool IsError { get; }

    string StatusCode { get; }

    string Message { get; }

    long SizeBytes { get; }

    /// <summary>Token timings of a streamed (LLM) response; null for ordinary requests.</summary>
    TokenUsage? Tokens { get; }
}
