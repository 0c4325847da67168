namespace Cocoon.Client;

/// <summary>
/// What one job's stream has delivered to the caller so far, so that a re-attached stream (which replays the job from
/// its start) skips what was already delivered, and what its last receipt covers, for the bill of a resumed run.
/// </summary>
internal sealed class JobStreamProgress(string jobId)
{
    public string JobId { get; } = jobId;

    /// <summary>This client made the id up for this run, so no job can exist under it yet: its status need not be read.</summary>
    public bool Fresh { get; init; }

    /// <summary>Tokens delivered to the caller.</summary>
    public int Tokens { get; set; }

    public int LastAttempt { get; set; }

    public CocoonJobUsage? LastUsage { get; set; }

    /// <summary>The stream broke at least once (and was re-attached): a failure that follows is the transport's, not the job's.</summary>
    public bool Broke { get; set; }
}
