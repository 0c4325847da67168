using System.Globalization;
using System.Text;
using Cocoon.Ton.Cells;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// The text comment each payout carries, <c>cocoon payout N</c>. It names the payout on chain twice: in the treasury's
/// outgoing message (confirmation) and in a bounce coming back, whose body keeps only 0xffffffff and the first 256 bits
/// of the original body, so the whole comment is kept within 28 bytes.
/// </summary>
public static class PayoutComment
{
    private const string Prefix = "cocoon payout ";
    private const uint BouncedTag = 0xffffffff;

    public static string For(long payoutId) => Prefix + payoutId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The payout id a comment names, or null.</summary>
    public static long? Parse(string? comment)
    {
        if (comment is null || !comment.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        return long.TryParse(comment.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    /// <summary>The payout id in the body of a bounced message (0xffffffff, then the original body's first 256 bits).</summary>
    public static long? ParseBounced(Cell? body)
    {
        if (body is null || body.IsExotic || body.BitLength < 64) return null;
        var slice = body.BeginParse();
        if (slice.LoadUInt(32) != BouncedTag || slice.LoadUInt(32) != 0) return null;
        var bytes = slice.LoadBytes(slice.RemainingBits / 8);
        try
        {
            return Parse(new UTF8Encoding(false, true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
