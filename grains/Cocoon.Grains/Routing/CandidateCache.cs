using System.Collections.Concurrent;
using Cocoon.Routing;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Routing;

/// <summary>
/// A silo-wide, short-lived cache of router answers, plus this silo's own in-flight count per node, so job grains
/// neither hammer the router grain nor all pile onto the node that looked idle a moment ago.
/// </summary>
public sealed class CandidateCache(IGrainFactory grains, TimeProvider time, IOptions<RouterOptions> options)
{
    private readonly ConcurrentDictionary<(string Model, int MaxCoefficient, string? Region), Entry> _entries = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    private sealed record Entry(IReadOnlyList<NodeCandidate> Candidates, DateTimeOffset FetchedAt);

    public async Task<IReadOnlyList<NodeCandidate>> Get(string model, int maxCoefficient, string? region, bool refresh = false)
    {
        var key = (model, maxCoefficient, region);
        var now = time.GetUtcNow();
        if (!refresh && _entries.TryGetValue(key, out var entry) && now - entry.FetchedAt < options.Value.CandidateCacheTtl)
            return entry.Candidates;
        var fresh = await grains.GetGrain<IRouterGrain>(model).GetCandidates(16, maxCoefficient, region);
        _entries[key] = new Entry(fresh, now);
        return fresh;
    }

    /// <summary>The reported load plus what this silo has sent since: the score the job grain ranks by.</summary>
    public double Score(NodeCandidate candidate)
    {
        var local = _inFlight.TryGetValue(candidate.Node.NodeId, out var n) ? n : 0;
        return (candidate.Load with { Queued = candidate.Load.Queued + local }).Score(candidate.Node.MaxActive);
    }

    /// <summary>
    /// Picks the best candidate that <paramref name="eligible"/> accepts and counts a job in flight on it, in one step,
    /// so concurrent jobs on this silo see each other's choices.
    /// </summary>
    public NodeCandidate? Claim(IReadOnlyList<NodeCandidate> list, Func<NodeCandidate, bool> eligible, string? region)
    {
        lock (_inFlight)
        {
            NodeCandidate? best = null;
            var bestScore = double.MaxValue;
            foreach (var c in list)
            {
                var score = Score(c) + (region is not null && c.Node.Region != region ? 1e9 : 0);
                if (score < bestScore && eligible(c))
                {
                    best = c;
                    bestScore = score;
                }
            }
            if (best is not null) _inFlight.AddOrUpdate(best.Node.NodeId, 1, (_, n) => n + 1);
            return best;
        }
    }

    public void Finished(string nodeId) => _inFlight.AddOrUpdate(nodeId, 0, (_, n) => Math.Max(0, n - 1));

    /// <summary>Drops a node from every cached answer (it failed or is gone) until the router says otherwise.</summary>
    public void Forget(string nodeId)
    {
        foreach (var (key, entry) in _entries)
            _entries.TryUpdate(key, entry with { Candidates = entry.Candidates.Where(c => c.Node.NodeId != nodeId).ToArray() }, entry);
    }
}
