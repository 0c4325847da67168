using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Wallets;

namespace Cocoon.Client;

/// <summary>
/// The application's view of a Cocoon network. Errors a caller can act on are <see cref="Errors.CocoonException"/>s
/// with a stable code: the network's own (unknown model, insufficient funds, ...) pass through unchanged, and the
/// client adds <see cref="ClusterUnreachableException"/>, <see cref="NoAccountException"/> and <see cref="JobNotFoundException"/>.
/// </summary>
public interface ICocoonClient
{
    /// <summary>The connection in use (gateways, cluster, account).</summary>
    CocoonConnection Connection { get; }

    /// <summary>
    /// Runs a job and streams its events. First waits, up to the deadline, until some node serves the model (a model
    /// may still be loading right after the network starts). Stopping the enumeration (or cancelling) cancels the job.
    /// When the connection breaks (a gateway or the job's core silo went away) it re-attaches to the job by its id and
    /// goes on where it was, until the deadline.
    /// </summary>
    IAsyncEnumerable<CocoonJobEvent> RunAsync(CocoonJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a job to its end and collects text, usage and cost; a failed job raises <see cref="JobFailedException"/>.
    /// When the job's node or core silo dies mid-run, the output so far is billed by its last receipt and the job is
    /// continued as <c>&lt;job id&gt;.r1</c> (up to <see cref="CocoonClientOptions.MaxResumes"/> times), as in <see cref="RunAsync"/>.
    /// A job whose deadline falls at least 5 s inside the connection's response timeout (30 s by default) is sent as one
    /// call and its node answers in one call (a stream costs a call per batch of events): such a job whose node dies is
    /// run again whole on another node rather than continued, since nothing of it had reached the caller.
    /// </summary>
    Task<CocoonCompletion> CompleteAsync(CocoonJobRequest request, CancellationToken cancellationToken = default);

    Task<AccountBalance> GetBalanceAsync(string? accountId = null, CancellationToken cancellationToken = default);

    /// <summary>The account's most recent ledger entries, newest first.</summary>
    Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string? accountId = null, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>Live nodes of one model, or of every allowed model when <paramref name="model"/> is null.</summary>
    Task<IReadOnlyList<CocoonNode>> ListNodesAsync(string? model = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CocoonModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>The network's parameters: allowed models, prices, limits.</summary>
    Task<NetworkParameters> GetNetworkAsync(CancellationToken cancellationToken = default);

    /// <summary>A job of the account; raises <see cref="JobNotFoundException"/> when there is none with this id.</summary>
    Task<JobStatus> GetJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Withdraws available balance to a TON address through the treasury's payout pipeline, signed by the account's key.
    /// <paramref name="requestId"/> makes it idempotent: repeating it returns the same payout, never a second one.
    /// </summary>
    Task<Payouts.PayoutView> WithdrawAsync(long amountNano, string destination, string requestId, string? accountId = null, CancellationToken cancellationToken = default);

    /// <summary>The payout a withdrawal request created, or null when the account has none with this request id.</summary>
    Task<Payouts.PayoutView?> GetWithdrawalAsync(string requestId, string? accountId = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job of the account: what its last receipt covers is billed, the rest released.</summary>
    Task CancelJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default);
}
