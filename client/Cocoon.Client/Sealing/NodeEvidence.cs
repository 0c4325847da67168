using Cocoon.Confidential.Keys;
using Cocoon.Nodes;

namespace Cocoon.Client;

/// <summary>
/// How evidence rides in a <see cref="NodeDescriptor"/> (AttestedNodeCrypto on the node writes it): Evidence = the quote bytes, SealingKey/SigningKey = the bound
/// public keys, and EvidenceVersion = when the quote was issued (unix milliseconds), which changes whenever the quote does.
/// </summary>
public static class NodeEvidence
{
    public static Evidence? From(NodeDescriptor node) =>
        node.Evidence.Length == 0 || node.SealingKey.Length != 32 || node.SigningKey.Length != 32 || node.EvidenceVersion <= 0
            ? null
            : new Evidence(node.Evidence, node.EvidenceVersion, DateTimeOffset.FromUnixTimeMilliseconds(node.EvidenceVersion),
                node.SealingKey, node.SigningKey);
}
