using Cocoon.Jobs;
using Cocoon.Nodes;

namespace Cocoon.Grains.Jobs;

/// <summary>Checks a usage receipt's signature against the node's attested signing key.</summary>
public interface IReceiptVerifier
{
    bool Verify(UsageReceipt receipt, NodeDescriptor node);
}

/// <summary>For networks whose nodes have no keys: accepts only unsigned receipts from keyless nodes.</summary>
public sealed class UnsignedReceiptVerifier : IReceiptVerifier
{
    public bool Verify(UsageReceipt receipt, NodeDescriptor node) => node.SigningKey.Length == 0 && receipt.Signature.Length == 0;
}
