using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>
/// Raised by <see cref="ICocoonClient.CompleteAsync"/> when the job ended in failure; <see cref="CocoonException.Code"/>
/// is the job's failure code (see <see cref="Cocoon.Jobs.JobFailureCodes"/>) and the partial output is kept.
/// </summary>
public sealed class JobFailedException(string jobId, string code, string message, string partialText, long costNano)
    : CocoonException(code, message)
{
    public string JobId { get; } = jobId;
    public string PartialText { get; } = partialText;
    public long CostNano { get; } = costNano;
}
