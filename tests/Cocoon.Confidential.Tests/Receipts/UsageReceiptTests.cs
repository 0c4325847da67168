using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Receipts;

namespace Cocoon.Confidential.Tests.Receipts;

public sealed class UsageReceiptTests : IDisposable
{
    private readonly NodeKeys _node = NodeKeys.Generate();
    private static readonly UsageReceipt First = new("job-1", "node-1", 120, 20, 16, 1500, 0, false);

    public void Dispose() => _node.Dispose();

    [Fact]
    public void A_signed_receipt_verifies_with_the_node_key_only()
    {
        var signature = UsageReceiptSigner.Sign(First, _node);
        Assert.True(UsageReceiptSigner.Verify(First, signature, _node.Ed25519PublicKey));
        using var other = NodeKeys.Generate();
        Assert.False(UsageReceiptSigner.Verify(First, signature, other.Ed25519PublicKey));
        Assert.False(UsageReceiptSigner.Verify(First with { CompletionTokens = 17 }, signature, _node.Ed25519PublicKey));
        Assert.False(UsageReceiptSigner.Verify(First with { Final = true }, signature, _node.Ed25519PublicKey));
        Assert.False(UsageReceiptSigner.Verify(First, signature.AsSpan(1), _node.Ed25519PublicKey));
    }

    [Fact]
    public void Invalid_counts_cannot_be_encoded_or_verified()
    {
        Assert.Throws<ArgumentException>(() => (First with { PromptTokens = -1 }).Encode());
        Assert.Throws<ArgumentException>(() => (First with { CachedPromptTokens = 121 }).Encode());
        Assert.False(UsageReceiptSigner.Verify(First with { PromptTokens = -1 }, new byte[64], _node.Ed25519PublicKey));
    }

    [Fact]
    public void Cumulative_receipts_must_grow()
    {
        var second = First with { CompletionTokens = 48, Sequence = 1 };
        var last = second with { CompletionTokens = 64, Sequence = 2, Final = true };
        Assert.True(ReceiptSequence.IsMonotonic([First, second, last], out _));
        Assert.NotNull(ReceiptSequence.CheckSuccessor(second, First with { Sequence = 2 } with { CompletionTokens = 10 }));
        Assert.NotNull(ReceiptSequence.CheckSuccessor(second, second));
        Assert.NotNull(ReceiptSequence.CheckSuccessor(last, last with { Sequence = 3 }));
        Assert.NotNull(ReceiptSequence.CheckSuccessor(First, second with { Coefficient = 1000 }));
        Assert.NotNull(ReceiptSequence.CheckSuccessor(First, second with { JobId = "job-2" }));
        Assert.False(ReceiptSequence.IsMonotonic([second, First], out var reason));
        Assert.NotNull(reason);
    }
}
