using Cocoon.Client;
using Cocoon.Errors;
using Cocoon.Jobs;

namespace Cocoon.Cli.Serve;

/// <summary>How the network's errors and job failures read to an OpenAI caller: the status an SDK retries on or reports.</summary>
public static class OpenAiErrors
{
    public static OpenAiError From(Exception e) => e switch
    {
        OpenAiError o => o,
        UnknownModelException u => new OpenAiError(404, u.Message, "model", "model_not_found"),
        InvalidJobException i => new OpenAiError(400, i.Message, ParamFor(i.Field), "invalid_value"),
        RateLimitedException r => new OpenAiError(429, r.Message, null, "rate_limit_exceeded", "rate_limit_error") { RetryAfter = r.RetryAfter },
        CocoonException { Code: "signature_rejected" or "stale_request" or "request_replayed" } or NoAccountKeyException
            => new OpenAiError(401, e.Message, null, e is CocoonException ce ? ce.Code : "signature_rejected", "authentication_error"),
        InsufficientFundsException f => new OpenAiError(402, f.Message, null, "insufficient_funds", "insufficient_quota"),
        CocoonException { Code: "unknown_account" } or NoAccountException => new OpenAiError(402, e.Message, null, "no_account", "insufficient_quota"),
        CocoonException { Code: "job_access_denied" } => new OpenAiError(409, e.Message, "request_guid", "job_access_denied"),
        ClusterUnreachableException => new OpenAiError(503, e.Message, null, "cluster_unreachable", "server_error"),
        JobFailedException j => ForFailure(j.Code, j.Message),
        CocoonException c => new OpenAiError(502, c.Message, null, c.Code, "server_error"),
        _ => new OpenAiError(500, $"unexpected {e.GetType().Name}: {e.Message}", null, "internal_error", "server_error"),
    };

    public static OpenAiError ForFailure(string code, string message) => code switch
    {
        JobFailureCodes.NoNode => new OpenAiError(503, message, null, code, "server_error"),
        JobFailureCodes.DeadlineExceeded => new OpenAiError(504, message, null, code, "server_error"),
        JobFailureCodes.InvalidContent => new OpenAiError(400, message, "messages", code),
        JobFailureCodes.Cancelled => new OpenAiError(499, message, null, code, "server_error"),
        _ => new OpenAiError(502, message, null, code, "server_error"),
    };

    /// <summary>The request field an invalid job field came from, as the caller named it.</summary>
    private static string ParamFor(string field) => field switch
    {
        "MaxTokens" or "max_tokens" => "max_tokens",
        "Temperature" or "temperature" => "temperature",
        "TopP" or "top_p" => "top_p",
        "Stop" or "stop" => "stop",
        "JobId" or "job_id" => "request_guid",
        _ => field,
    };
}
