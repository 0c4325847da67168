namespace Cocoon.Nodes;

/// <summary>
/// What the network knows of one GPU node: the models it serves, its price coefficient (per mille: 1000 = 1.0),
/// its capacity, region and owner; its public keys and attestation evidence once it has them.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.node-descriptor.v1")]
public sealed record NodeDescriptor(
    [property: Id(0)] string NodeId,
    [property: Id(1)] IReadOnlyList<string> Models,
    [property: Id(2)] int PriceCoefficient,
    [property: Id(3)] int MaxActive,
    [property: Id(4)] string Region,
    [property: Id(5)] string OwnerAccount)
{
    /// <summary>X25519 public key requests are sealed to; empty until the node has keys.</summary>
    [Id(6)] public byte[] SealingKey { get; init; } = [];

    /// <summary>Ed25519 public key that signs usage receipts; empty until the node has keys.</summary>
    [Id(7)] public byte[] SigningKey { get; init; } = [];

    /// <summary>Attestation evidence (a TDX or simulated quote) binding the keys; empty when none.</summary>
    [Id(8)] public byte[] Evidence { get; init; } = [];

    /// <summary>Bumped whenever the evidence is refreshed, so verifiers can cache per (node, version).</summary>
    [Id(9)] public long EvidenceVersion { get; init; }

    /// <summary>The silo hosting the node (its worker silo's address), for operators.</summary>
    [Id(10)] public string Silo { get; init; } = "";
}
