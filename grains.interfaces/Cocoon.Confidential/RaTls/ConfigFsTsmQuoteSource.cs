namespace Cocoon.Confidential.RaTls;

/// <summary>
/// TDX quotes from inside a TD through the Linux configfs-tsm interface (kernel 6.7+,
/// Documentation/ABI/testing/configfs-tsm): create a report entry, write 64 bytes of REPORTDATA to <c>inblob</c>,
/// read the quote from <c>outblob</c>, remove the entry. The quote is produced by the TD's quoting enclave via the host.
/// </summary>
public sealed class ConfigFsTsmQuoteSource(string reportRoot = ConfigFsTsmQuoteSource.DefaultRoot) : IQuoteSource
{
    public const string DefaultRoot = "/sys/kernel/config/tsm/report";

    private readonly Lock _lock = new();

    /// <summary>True when this machine exposes configfs-tsm reports (a TD with a quote provider).</summary>
    public static bool IsAvailable(string reportRoot = DefaultRoot) => Directory.Exists(reportRoot);

    public byte[] CreateQuote(ReadOnlySpan<byte> reportData)
    {
        if (reportData.Length != 64)
        {
            throw new ArgumentException("REPORTDATA is 64 bytes", nameof(reportData));
        }
        if (!IsAvailable(reportRoot))
        {
            throw new TeeUnavailableException($"no TDX quote provider: '{reportRoot}' does not exist (not a TD, or configfs-tsm is not mounted)");
        }
        // One report entry at a time: the kernel serializes generation per entry, and a fresh entry per quote keeps
        // another process's inblob from mixing into ours.
        lock (_lock)
        {
            var entry = Path.Combine(reportRoot, $"cocoon-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(entry);
                File.WriteAllBytes(Path.Combine(entry, "inblob"), reportData.ToArray());
                var quote = File.ReadAllBytes(Path.Combine(entry, "outblob"));
                if (quote.Length == 0)
                {
                    throw new TeeUnavailableException("configfs-tsm returned an empty quote");
                }
                return quote;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TeeUnavailableException($"configfs-tsm quote generation failed: {e.Message}", e);
            }
            finally
            {
                try
                {
                    Directory.Delete(entry);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A leftover entry holds no secret (REPORTDATA and the quote are public).
                }
            }
        }
    }
}

/// <summary>This machine cannot produce a quote (no TDX, or the quote provider failed).</summary>
public sealed class TeeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
