namespace Cocoon.Inference.Echo;

public sealed record EchoOptions
{
    /// <summary>Tokens a job gets when its max tokens allow (the request's max tokens caps it).</summary>
    public int TokensPerJob { get; init; } = 16;

    /// <summary>Pace of the stream; 0 streams as fast as the network takes it.</summary>
    public double TokensPerSecond { get; init; }
}
