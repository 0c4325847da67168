using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>No job with this id exists (it never ran, or its retention ended).</summary>
public sealed class JobNotFoundException(string jobId)
    : CocoonException(ErrorCode, $"job '{jobId}' does not exist: check the id (it is printed in the `accepted` event of `cocoon run --json`).")
{
    public const string ErrorCode = "job_not_found";

    public string JobId { get; } = jobId;
}
