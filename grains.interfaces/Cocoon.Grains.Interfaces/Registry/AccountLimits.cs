namespace Cocoon.Registry;

/// <summary>
/// Per-account limits, part of the registry's parameters: token buckets on requests and on tokens (a job takes its
/// declared prompt bound plus max tokens when admitted), and a quota of jobs holding a reservation at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.account-limits.v1")]
public sealed record AccountLimits
{
    /// <summary>Sustained signed requests per minute (job starts, reads, cancellations).</summary>
    [Id(0)] public int RequestsPerMinute { get; init; } = 60_000;
    [Id(1)] public int RequestBurst { get; init; } = 10_000;
    /// <summary>Sustained tokens per minute admitted (prompt bound + max tokens of each started job).</summary>
    [Id(2)] public long TokensPerMinute { get; init; } = 100_000_000;
    [Id(3)] public long TokenBurst { get; init; } = 20_000_000;
    /// <summary>Jobs of one account holding a reservation at once.</summary>
    [Id(4)] public int MaxActiveJobs { get; init; } = 10_000;
}
