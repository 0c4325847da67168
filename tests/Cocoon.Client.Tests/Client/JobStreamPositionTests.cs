using Cocoon.Jobs;

namespace Cocoon.Client.Tests.Client;

/// <summary>A re-attach replays the job from its start: the caller must get each event once, in order.</summary>
public sealed class JobStreamPositionTests
{
    private static JobTokenEvent Token(int i) => new(new JobToken(i, i, $"t{i}"));
    private static JobAccepted Accepted(int attempt) => new("j", "node-a", attempt, DateTimeOffset.UnixEpoch, 100);
    private static JobUsageEvent Usage(int sequence) => new(new UsageReceipt("j", "node-a", 3, 0, sequence + 1, 1000, sequence, false));

    [Fact]
    public void A_replay_of_the_live_log_yields_only_what_the_caller_has_not_had()
    {
        var seen = new JobStreamPosition();
        seen.StartPass();
        JobEvent[] first = [Accepted(1), Token(0), Token(1), Usage(0)];
        Assert.All(first, e => Assert.True(seen.IsNew(e)));

        // The connection broke; the live job replays its log from the start and goes on.
        seen.StartPass();
        JobEvent[] replay = [Accepted(1), Token(0), Token(1), Usage(0), Token(2), Usage(1)];
        var fresh = replay.Where(seen.IsNew).ToArray();
        Assert.Equal([Token(2), Usage(1)], fresh);
    }

    [Fact]
    public void A_replay_of_the_stored_output_skips_by_position_and_passes_the_final_event()
    {
        var seen = new JobStreamPosition();
        seen.StartPass();
        Assert.True(seen.IsNew(Accepted(2)));
        Assert.True(seen.IsNew(Token(0)));

        // The job finished on a stopping silo: its new activation replays the stored output (tokens only) and the end.
        seen.StartPass();
        var done = new JobCompleted("stop", 3, 0, 2, 20, new JobTimings(0, 0, 0, 0));
        JobEvent[] replay = [Token(0), Token(1), done];
        Assert.Equal([Token(1), done], replay.Where(seen.IsNew).ToArray());
        // An earlier attempt's acceptance never comes back as new.
        Assert.False(seen.IsNew(Accepted(1)));
    }
}
