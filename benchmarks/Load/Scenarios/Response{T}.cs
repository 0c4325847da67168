namespace Cocoon.Benchmarks.Load;

/// <summary>A response with an optional payload for the steps that follow (NBomber's <c>Response&lt;T&gt;</c>).</summary>
public sealed record Response<T>(T? Payload, bool IsError, string StatusCode, string Message, long SizeBytes) : IResponse
{
    public TokenUsage? Tokens { get; init; }

    /// <summary>
    /// Attaches the token timings of a streamed answer. <paramref name="firstTokenAt"/> and the inter-token
    /// latencies are measured by the caller from the start of the iteration or step that returns this response.
    /// </summary>
    public Response<T> WithTokens(TimeSpan firstTokenAt, int tokenCount, IReadOnlyList<TimeSpan>? interTokenLatencies = null) =>
        this with { Tokens = new TokenUsage(firstTokenAt, tokenCount, interTokenLatencies) };

    public Response<T> WithTokens(TokenUsage tokens) => this with { Tokens = tokens };
}
