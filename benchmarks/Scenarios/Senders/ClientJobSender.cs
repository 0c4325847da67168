using Cocoon.Client;

namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary><c>--target client</c>: the job through <see cref="ICocoonClient.CompleteAsync"/>.</summary>
internal sealed class ClientJobSender(ICocoonClient client) : IJobSender
{
    public string StepName => "cocoon";

    public async Task<SentJob> SendAsync(string model, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var completion = await client.CompleteAsync(new CocoonJobRequest { Model = model, Prompt = prompt, MaxTokens = maxTokens }, cancellationToken);
        return new SentJob(completion.Text, completion.CompletionTokens, completion.NodeId);
    }

    // The client belongs to the scenario's target, which disposes it.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
