using SignedReceipt = Cocoon.Confidential.Receipts.UsageReceipt;

namespace Cocoon.Grains.Nodes;

/// <summary>Maps the grain receipt onto Cocoon.Confidential's, whose canonical encoding is what the node signs.</summary>
public static class ReceiptEncoding
{
    public static SignedReceipt ToConfidential(Cocoon.Jobs.UsageReceipt r) =>
        new(r.JobId, r.NodeId, r.PromptTokens, r.CachedPromptTokens, r.CompletionTokens, r.Coefficient, r.Sequence, r.Final);
}
