namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary>The target refused or failed a job; <see cref="Status"/> is what reports count it under (the HTTP status code).</summary>
internal sealed class JobSendException(string status, string message) : Exception(message)
{
    public string Status { get; } = status;
}
