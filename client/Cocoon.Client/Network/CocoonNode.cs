using Cocoon.Nodes;

namespace Cocoon.Client;

/// <summary>A live node as the routers see it, with every model it serves.</summary>
public sealed record CocoonNode(
    string Id,
    IReadOnlyList<string> Models,
    int Coefficient,
    NodeLoad Load,
    int MaxActive,
    string Region,
    string Owner,
    DateTimeOffset LastSeen,
    bool Attested);
