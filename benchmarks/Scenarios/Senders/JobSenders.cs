using Cocoon.Benchmarks.Load;
using Cocoon.Client;

namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary>Picks the scenario's <see cref="IJobSender"/> from <c>--target</c>.</summary>
internal static class JobSenders
{
    public static async Task<IJobSender> CreateAsync(LoadTarget target, ICocoonClient client, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(log);
        if (target != LoadTarget.Http)
        {
            return new ClientJobSender(client);
        }

        var sender = await HttpJobSender.StartAsync(client, cancellationToken);
        log.WriteLine($"target http: POST {sender.BaseAddress}v1/chat/completions (endpoint hosted in this process over the client)");
        return sender;
    }
}
