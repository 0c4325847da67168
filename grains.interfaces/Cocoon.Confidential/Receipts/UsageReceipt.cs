using System.Buffers.Binary;
using System.Text;

namespace Cocoon.Confidential.Receipts;

/// <summary>
/// A node's cumulative count of what one job used so far, signed with its attested Ed25519 key. The job grain bills
/// the last valid receipt. <see cref="Coefficient"/> is the price coefficient in thousandths (1000 = 1×).
/// </summary>
public sealed record UsageReceipt(
    string JobId, string NodeId, long PromptTokens, long CachedPromptTokens, long CompletionTokens, int Coefficient, long Sequence, bool Final)
{
    private static readonly byte[] Domain = "cocoon/receipt/v1"u8.ToArray();

    /// <summary>
    /// Canonical bytes: "cocoon/receipt/v1" ‖ u16 len ‖ job id ‖ u16 len ‖ node id ‖ u64 prompt ‖ u64 cached ‖ u64 completion
    /// ‖ u32 coefficient ‖ u64 sequence ‖ u8 final (big-endian, UTF-8). Refuses negative counts and cached > prompt.
    /// </summary>
    public byte[] Encode()
    {
        if (PromptTokens < 0 || CachedPromptTokens < 0 || CompletionTokens < 0 || Coefficient < 0 || Sequence < 0)
        {
            throw new ArgumentException("receipt counts, coefficient and sequence must not be negative");
        }
        if (CachedPromptTokens > PromptTokens)
        {
            throw new ArgumentException("cached prompt tokens exceed prompt tokens");
        }
        var job = Encoding.UTF8.GetBytes(JobId);
        var node = Encoding.UTF8.GetBytes(NodeId);
        if (job.Length > ushort.MaxValue || node.Length > ushort.MaxValue)
        {
            throw new ArgumentException("job or node id is too long");
        }
        var buffer = new byte[Domain.Length + 2 + job.Length + 2 + node.Length + 8 * 3 + 4 + 8 + 1];
        var span = buffer.AsSpan();
        Domain.CopyTo(span);
        var o = Domain.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[o..], (ushort)job.Length);
        job.CopyTo(span[(o + 2)..]);
        o += 2 + job.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[o..], (ushort)node.Length);
        node.CopyTo(span[(o + 2)..]);
        o += 2 + node.Length;
        BinaryPrimitives.WriteUInt64BigEndian(span[o..], (ulong)PromptTokens);
        BinaryPrimitives.WriteUInt64BigEndian(span[(o + 8)..], (ulong)CachedPromptTokens);
        BinaryPrimitives.WriteUInt64BigEndian(span[(o + 16)..], (ulong)CompletionTokens);
        BinaryPrimitives.WriteUInt32BigEndian(span[(o + 24)..], (uint)Coefficient);
        BinaryPrimitives.WriteUInt64BigEndian(span[(o + 28)..], (ulong)Sequence);
        span[o + 36] = Final ? (byte)1 : (byte)0;
        return buffer;
    }
}
