using System.Buffers.Binary;
using System.Text;

namespace Cocoon.Jobs;

/// <summary>
/// The associated data a sealed payload is bound to: job id, account and public metadata. Client and node build it
/// with this one function, so a payload replayed under another job, account, model, bound or deadline fails to open.
/// </summary>
public static class JobAad
{
    private static readonly byte[] Domain = "cocoon/job-aad/v1"u8.ToArray();

    /// <summary>
    /// "cocoon/job-aad/v1" ‖ str job id ‖ str account ‖ str model ‖ u32 max tokens ‖ u32 max prompt tokens ‖ u32 max
    /// coefficient ‖ i64 deadline (UTC ticks) ‖ str region ("" when none); str = u16 length ‖ UTF-8, integers big-endian.
    /// </summary>
    public static byte[] Build(string jobId, string accountId, JobMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        buffer.Write(Domain);
        WriteString(buffer, jobId);
        WriteString(buffer, accountId);
        WriteString(buffer, metadata.Model);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(number, unchecked((uint)metadata.MaxTokens));
        buffer.Write(number[..4]);
        BinaryPrimitives.WriteUInt32BigEndian(number, unchecked((uint)metadata.MaxPromptTokens));
        buffer.Write(number[..4]);
        BinaryPrimitives.WriteUInt32BigEndian(number, unchecked((uint)metadata.MaxCoefficient));
        buffer.Write(number[..4]);
        BinaryPrimitives.WriteInt64BigEndian(number, metadata.Deadline.UtcTicks);
        buffer.Write(number);
        WriteString(buffer, metadata.Region ?? "");
        return buffer.ToArray();
    }

    private static void WriteString(MemoryStream buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > ushort.MaxValue)
            throw new ArgumentException("a job id, account, model or region is longer than 65535 bytes", nameof(value));
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
