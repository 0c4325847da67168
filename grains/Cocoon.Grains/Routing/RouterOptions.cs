namespace Cocoon.Grains.Routing;

public sealed class RouterOptions
{
    /// <summary>A node whose last heartbeat is older than this leaves the candidate lists.</summary>
    public TimeSpan NodeExpiry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a silo reuses candidates it fetched, so the router grain is no hot spot.</summary>
    public TimeSpan CandidateCacheTtl { get; set; } = TimeSpan.FromMilliseconds(250);
}
