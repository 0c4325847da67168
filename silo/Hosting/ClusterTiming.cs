using Orleans.Configuration;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// Membership timing for a PostgreSQL cluster, tuned so a silo that dies without saying so (kill -9, power loss, cut
/// network) is declared dead within about 10 s instead of Orleans' default of about 30 s or more.
/// </summary>
public static class ClusterTiming
{
    /// <summary>A probe unanswered this long counts as missed (Orleans default 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo suspects its peer (default 3): 3 × 2 s ≈ 6 s of silence.</summary>
    public const int NumMissedProbesLimit = 3;

    /// <summary>Suspicions needed to declare a silo dead (default 2); a single survivor votes alone.</summary>
    public const int NumVotesForDeathDeclaration = 2;

    /// <summary>How often a silo re-reads the membership table (default 60 s): a missed gossip heals within this.</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo writes its I-am-alive time (default 5 min), read by those who join or audit the table.</summary>
    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Orleans' distributed directory can hold registrations in a crashed silo's ranges under a lease (default 30 s
    /// from its estimated failure), and the whole ring when the dead silo was not in the directory's view: new
    /// activations anywhere then wait, and jobs stalled past their attempt timeout. Off: as with Orleans' classic
    /// directory, a silo wrongly declared dead may briefly race a new activation, and every Cocoon grain state write is
    /// versioned (ETag), so the stale one fails instead of overwriting.
    /// </summary>
    public static readonly TimeSpan DirectoryRangeLease = TimeSpan.Zero;

    public static void Apply(GrainDirectoryOptions o) => o.RangeLeaseDuration = DirectoryRangeLease;

    public static void Apply(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = ProbeTimeout;
        o.NumMissedProbesLimit = NumMissedProbesLimit;
        o.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        o.TableRefreshTimeout = TableRefreshTimeout;
        o.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
    }
}
