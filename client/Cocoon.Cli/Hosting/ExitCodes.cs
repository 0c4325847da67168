using Cocoon.Client;
using Cocoon.Errors;
using Cocoon.Jobs;

namespace Cocoon.Cli.Hosting;

/// <summary>The CLI's exit codes; docs/cli.md lists them. Scripts rely on them: never renumber.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>An error the CLI did not expect (a bug): the message says what happened.</summary>
    public const int Error = 1;
    /// <summary>Bad arguments, or a request the network refused as invalid.</summary>
    public const int Usage = 2;
    public const int UnknownModel = 3;
    public const int InsufficientFunds = 4;
    public const int ClusterUnreachable = 5;
    /// <summary>No account configured, or the account has no ledger yet.</summary>
    public const int NoAccount = 6;
    public const int JobAccessDenied = 7;
    public const int JobNotFound = 8;
    /// <summary>The account is over a rate limit or quota; the message says when to retry.</summary>
    public const int RateLimited = 9;
    public const int JobNoNode = 10;
    public const int JobDeadlineExceeded = 11;
    public const int JobNodeFailed = 12;
    public const int JobCancelled = 13;
    public const int JobInvalidContent = 14;
    /// <summary>The job failed with a code this CLI does not know yet.</summary>
    public const int JobFailed = 19;
    /// <summary>The network refused the request's signature (wrong key, stale clock, replayed request).</summary>
    public const int RequestRejected = 20;
    /// <summary><c>cocoon reconcile</c> found the ledger and the chain disagreeing.</summary>
    public const int Discrepancies = 21;

    public static int ForFailure(string code) => code switch
    {
        JobFailureCodes.NoNode => JobNoNode,
        JobFailureCodes.DeadlineExceeded => JobDeadlineExceeded,
        JobFailureCodes.NodeFailed => JobNodeFailed,
        JobFailureCodes.Cancelled => JobCancelled,
        JobFailureCodes.InvalidContent => JobInvalidContent,
        _ => JobFailed,
    };

    public static int ForError(Exception e) => e switch
    {
        CocoonException c => c.Code switch
        {
            "invalid_request" => Usage,
            "unknown_model" => UnknownModel,
            "insufficient_funds" => InsufficientFunds,
            "invalid_withdrawal" => Usage,
            ClusterUnreachableException.ErrorCode => ClusterUnreachable,
            NoAccountException.ErrorCode or NoAccountKeyException.ErrorCode or "unknown_account" => NoAccount,
            "rate_limited" => RateLimited,
            "signature_rejected" or "stale_request" or "request_replayed" => RequestRejected,
            "job_access_denied" => JobAccessDenied,
            JobNotFoundException.ErrorCode => JobNotFound,
            _ => Error,
        },
        FormatException => Usage,
        Security.InsecureSecretFileException or FileNotFoundException => NoAccount,
        OperationCanceledException => JobCancelled,
        _ => Error,
    };
}
