using Cocoon.Jobs;

namespace Cocoon.Nodes;

/// <summary>
/// One GPU node, keyed by node id. It activates only on its own worker silo (see <c>NodeSilo</c> placement);
/// anywhere else a call fails with <see cref="Errors.NodeUnavailableException"/>.
/// </summary>
[Alias("cocoon.node")]
public interface INodeGrain : IGrainWithStringKey
{
    [Alias("describe")]
    Task<NodeDescriptor> Describe();

    [Alias("load")]
    Task<NodeLoad> GetLoad();

    /// <summary>
    /// Runs one job attempt and streams its events. Cancelling the enumeration stops the sequence on the node.
    /// <paramref name="accountId"/> is part of the sealed payload's associated data (<see cref="JobAad"/>).
    /// An attempt of a job the node still runs (its job grain timed out before the cancellation arrived) replaces it:
    /// the earlier one is cancelled.
    /// </summary>
    [Alias("execute"), Security.InternalOnly]
    IAsyncEnumerable<NodeJobEvent> Execute(string jobId, string accountId, JobMetadata metadata, JobPayload payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="Execute"/> in one call: every event, the finish last, in one response. The job grain uses it for a job
    /// whose caller reads nothing before the end (<see cref="Jobs.IJobGrain.Complete"/>), where a stream would cost a
    /// call per batch of events and one to dispose it. Failures are thrown as by <see cref="Execute"/>.
    /// </summary>
    [Alias("execute.whole"), Security.InternalOnly]
    [ResponseTimeout("01:10:00")]
    Task<NodeJobEvent[]> ExecuteWhole(string jobId, string accountId, JobMetadata metadata, JobPayload payload, CancellationToken cancellationToken = default);

    /// <summary>Stops a running job attempt (the caller's enumeration ends with a cancelled failure).</summary>
    [Alias("cancel"), Security.InternalOnly]
    Task Cancel(string jobId);

    /// <summary>Stops taking jobs and waits for the running ones up to <paramref name="timeout"/>.</summary>
    [Alias("drain"), Security.InternalOnly]
    Task Drain(TimeSpan timeout);
}
