using BenchmarkDotNet.Attributes;
using Cocoon.Grains.Routing;
using Cocoon.Nodes;
using Cocoon.Routing;
using Microsoft.Extensions.Options;

namespace Cocoon.Benchmarks.Grains;

/// <summary>
/// Candidate selection on the job path: <see cref="CandidateCache.Claim"/> ranks the router's answer by load and this
/// silo's in-flight count and claims the best eligible node (then the job releases it), for 16 candidates (what the
/// job grain asks the router for) and 256.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private CandidateCache _cache = null!;
    private NodeCandidate[] _candidates = [];
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);

    [Params(16, 256)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Claim never calls the router: the grain factory is not needed.
        _cache = new CandidateCache(null!, TimeProvider.System, Options.Create(new RouterOptions()));
        var random = new Random(42);
        _candidates = [.. Enumerable.Range(0, Candidates).Select(i => new NodeCandidate(
            new NodeDescriptor($"node-{i}", ["echo"], 1_000, 256, i % 3 == 0 ? "eu" : "local", $"owner-{i}"),
            new NodeLoad(random.Next(0, 64), random.Next(0, 16), 5 + random.NextDouble() * 50),
            DateTimeOffset.UtcNow))];
        _tried.Add("node-1");
    }

    [Benchmark(Description = "claim + finish")]
    public string? ClaimAndFinish()
    {
        var pick = _cache.Claim(_candidates, c => !_tried.Contains(c.Node.NodeId), "local");
        if (pick is not null) _cache.Finished(pick.Node.NodeId);
        return pick?.Node.NodeId;
    }
}
