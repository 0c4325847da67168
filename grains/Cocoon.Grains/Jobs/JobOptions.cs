namespace Cocoon.Grains.Jobs;

public sealed class JobOptions
{
    /// <summary>Attempts before a job fails: each on another node, except that a node which only timed out before any output may be tried once more when no untried node is left.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one attempt may take to produce its first token before the job moves on.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First back-off between attempts; doubles each time, with full jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A reservation outlives its job's deadline by this much, so settlement after the deadline still finds it.</summary>
    public TimeSpan ReservationGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a new job waits for some node to serve its model before it fails with no_node.</summary>
    public TimeSpan NoNodeWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a finished job is kept for replay before its state is deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The latest deadline a job may ask for.</summary>
    public TimeSpan MaxDeadline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a settled job's shares wait in the paying wallet for others to travel with them: a busy wallet sends one
    /// call per receiving account in each interval instead of one per share (docs/operations.md, "Settlement").
    /// </summary>
    public TimeSpan SettlementShareDelay { get; set; } = TimeSpan.FromMilliseconds(10);
}
