using Cocoon.Confidential.Receipts;
using UsageReceipt = Cocoon.Jobs.UsageReceipt;
using Cocoon.Grains.Nodes;
using Cocoon.Jobs;
using Cocoon.Nodes;

namespace Cocoon.Grains.Jobs;

/// <summary>
/// A node with an attested signing key must sign every receipt with it (Ed25519 over the canonical receipt bytes);
/// a keyless node's receipts must be unsigned. An unsigned receipt from a keyed node is refused.
/// </summary>
public sealed class Ed25519ReceiptVerifier : IReceiptVerifier
{
    public bool Verify(UsageReceipt receipt, NodeDescriptor node) =>
        node.SigningKey.Length == 0
            ? receipt.Signature.Length == 0
            : UsageReceiptSigner.Verify(ReceiptEncoding.ToConfidential(receipt), receipt.Signature, node.SigningKey);
}
