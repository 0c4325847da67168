namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary>
/// How a Cocoon scenario's main step reaches the network (<c>--target client|http</c>): the same job either through
/// <see cref="Cocoon.Client.ICocoonClient"/> or as an OpenAI-compatible chat request, so one scenario measures both.
/// </summary>
internal interface IJobSender : IAsyncDisposable
{
    /// <summary>The step name in reports: it says which target ran.</summary>
    string StepName { get; }

    /// <summary>Runs one job to its end.</summary>
    /// <exception cref="JobSendException">The target answered, but not with a completion (an HTTP error status).</exception>
    Task<SentJob> SendAsync(string model, string prompt, int maxTokens, CancellationToken cancellationToken);
}
