using System.Globalization;
using System.Text.RegularExpressions;

namespace Cocoon.Benchmarks.Load;

/// <summary>Durations as people write them: "250us", "500ms", "30s", "2m", "1h", "1m30s" or "00:00:30".</summary>
public static partial class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':'))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        var ticks = 0.0;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "us" or "µs" => value * 10,
                "ms" => value * TimeSpan.TicksPerMillisecond,
                "s" => value * TimeSpan.TicksPerSecond,
                "m" => value * TimeSpan.TicksPerMinute,
                _ => value * TimeSpan.TicksPerHour,
            };
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"'{text}' is not a duration; write e.g. 500ms, 30s, 2m, 1h or 00:00:30.");

    /// <summary>A duration with a unit that keeps three or so significant digits: "850 µs", "12.4 ms", "3.20 s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration >= TimeSpan.FromMinutes(2) && duration.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return duration.TotalHours >= 1 && duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)duration.TotalHours}h"
                : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)duration.TotalMinutes}m"
                : $"{(long)duration.TotalSeconds}s";
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return $"{(long)duration.TotalSeconds}s";
        }

        if (duration.Ticks % TimeSpan.TicksPerMillisecond == 0)
        {
            return $"{(long)duration.TotalMilliseconds}ms";
        }

        return FormatMs(duration.TotalMilliseconds);
    }

    /// <summary>A latency in milliseconds, shown in µs, ms or s with its unit.</summary>
    public static string FormatMs(double ms)
    {
        var c = CultureInfo.InvariantCulture;
        return ms switch
        {
            < 1 => (ms * 1000).ToString("0.#", c) + " µs",
            < 10 => ms.ToString("0.00", c) + " ms",
            < 100 => ms.ToString("0.0", c) + " ms",
            < 10_000 => ms.ToString("0", c) + " ms",
            _ => (ms / 1000).ToString("0.00", c) + " s",
        };
    }

    [GeneratedRegex(@"(?<value>[0-9]+(?:\.[0-9]+)?)(?<unit>us|µs|ms|s|m|h)", RegexOptions.IgnoreCase)]
    private static partial Regex Part();
}
