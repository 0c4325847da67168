namespace Cocoon.Jobs;

/// <summary>
/// One job, keyed by a client-chosen job id (see <see cref="JobIds"/>) and bound to the account that created it.
/// A second <see cref="Run"/> with the same id attaches to the running job or replays the finished one: it never
/// runs or bills the job twice. Every call is signed by the job's account (docs/security.md); another account is refused.
/// </summary>
[Alias("cocoon.job")]
public interface IJobGrain : IGrainWithStringKey
{
    [Alias("run")]
    IAsyncEnumerable<JobEvent> Run(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="Run"/> in one call: every event of the job, its final event last, in one response. For callers that
    /// read nothing before the job ends (the client's <c>CompleteAsync</c>): a stream costs a grain call per batch of
    /// events and one to dispose it. Signed, attached and cancelled like <see cref="Run"/> (the same signature
    /// operation). The call is bound by the caller's response timeout like any other, so a caller uses it only for a
    /// job whose deadline falls within that timeout: a call whose core silo dies gets no answer, and only the timeout
    /// ends it.
    /// </summary>
    [Alias("complete")]
    Task<JobEvent[]> Complete(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels the job (signed <c>job.cancel</c> by its account); what its last receipt covers is billed, the rest released.</summary>
    [Alias("cancel.v2")]
    Task Cancel(Security.SignedRequest request);

    /// <summary>The job's status, for its own account (signed <c>job.status</c>); phase Unknown when no such job exists.</summary>
    [Alias("status.v2")]
    Task<JobStatus> GetStatus(Security.SignedRequest request);
}
