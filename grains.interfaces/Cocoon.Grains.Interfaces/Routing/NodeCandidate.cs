using Cocoon.Nodes;

namespace Cocoon.Routing;

/// <summary>A node that can take a job now, with its last reported load.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-candidate.v1")]
public sealed record NodeCandidate(
    [property: Id(0)] NodeDescriptor Node,
    [property: Id(1)] NodeLoad Load,
    [property: Id(2)] DateTimeOffset LastSeen);
