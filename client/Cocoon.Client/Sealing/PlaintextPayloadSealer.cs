using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>Sends the content as plain JSON (<see cref="PayloadFormat.Plain"/>): the network's nodes answer with plain tokens.</summary>
public sealed class PlaintextPayloadSealer : IJobPayloadSealer
{
    public ValueTask<SealedJobPayload> SealAsync(JobSealingContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SealedJobPayload(new JobPayload(PayloadFormat.Plain, context.Content.ToUtf8()), null));
}
