namespace Cocoon.Jobs;

/// <summary>
/// One job, keyed by a client-chosen job id (see <see cref="JobIds"/>) and bound to the account that created it.
/// A second <see cref="Run"/> with the same id attaches to the running job or replays the finished one: it never
/// runs or bills the job twice.
/// </summary>
[Alias("cocoon.job")]
public interface IJobGrain : IGrainWithStringKey
{
    [Alias("run")]
    IAsyncEnumerable<JobEvent> Run(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels the job; what its last receipt covers is billed, the rest released.</summary>
    [Alias("cancel")]
    Task Cancel(string accountId);

    [Alias("status")]
    Task<JobStatus> GetStatus(string accountId);
}
