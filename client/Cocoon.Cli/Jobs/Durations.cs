using System.Globalization;

namespace Cocoon.Cli.Jobs;

/// <summary>Parses durations a person types: <c>90</c> (seconds), <c>1500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return false;
        var seconds = amount * (decimal)unit;
        if (seconds > 86_400) return false;
        value = TimeSpan.FromMilliseconds((double)Math.Ceiling(seconds * 1000));
        return value > TimeSpan.Zero;
    }
}
