using System.Globalization;
using System.Net;
using System.Text;

namespace Cocoon.Benchmarks.Load;

/// <summary>A line chart drawn as inline SVG, so an HTML report needs no script or network to show it.</summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int Height = 280;
    private const int Left = 64;
    private const int Right = 32;
    private const int Top = 28;
    private const int Bottom = 40;

    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    /// <param name="xTicks">Positions and labels of the x-axis ticks.</param>
    public static string Lines(string title, string yUnit, IReadOnlyList<Series> series, IReadOnlyList<(double X, string Label)> xTicks)
    {
        var points = series.SelectMany(s => s.Points).ToArray();
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        b.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" class=\"title\">{Encode(title)}</text>");
        if (points.Length == 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height / 2}\">no data</text></svg>");
            return b.ToString();
        }

        var minX = Math.Min(points.Min(p => p.X), xTicks.Count > 0 ? xTicks.Min(t => t.X) : double.MaxValue);
        var maxX = Math.Max(points.Max(p => p.X), xTicks.Count > 0 ? xTicks.Max(t => t.X) : double.MinValue);
        if (maxX <= minX) maxX = minX + 1;
        var maxY = NiceCeiling(points.Max(p => p.Y));
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double Px(double x) => Left + (x - minX) / (maxX - minX) * plotW;
        double Py(double y) => Top + plotH - y / maxY * plotH;

        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            b.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Py(y))}\" y2=\"{F(Py(y))}\" class=\"grid\"/>");
            b.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Py(y) + 4)}\" text-anchor=\"end\">{Encode(Label(y))} {Encode(yUnit)}</text>");
        }

        foreach (var (x, label) in xTicks)
        {
            b.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Px(x))}\" x2=\"{F(Px(x))}\" y1=\"{Top}\" y2=\"{Top + plotH}\" class=\"grid\"/>");
            b.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Px(x))}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Encode(label)}</text>");
        }

        b.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" class=\"frame\"/>");
        var legendX = Left + 8;
        foreach (var s in series)
        {
            if (s.Points.Count > 0)
            {
                var path = string.Join(' ', s.Points.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"));
                b.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\" points=\"{path}\"><title>{Encode(s.Name)}</title></polyline>");
            }

            b.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"{Height - 14}\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/>");
            b.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 14}\" y=\"{Height - 5}\">{Encode(s.Name)}</text>");
            legendX += 24 + 7 * s.Name.Length;
        }

        b.Append("</svg>");
        return b.ToString();
    }

    /// <summary>Evenly spaced whole-number ticks over [0, max], at most about eight.</summary>
    public static IReadOnlyList<(double X, string Label)> LinearTicks(double max, Func<double, string> label)
    {
        var step = Math.Max(1, NiceCeiling(Math.Max(max, 1) / 8));
        var ticks = new List<(double, string)>();
        for (var x = 0.0; x <= max + step / 2; x += step)
        {
            ticks.Add((x, label(x)));
        }

        return ticks;
    }

    private static double NiceCeiling(double value)
    {
        if (value <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (value <= m * magnitude) return m * magnitude;
        }

        return 10 * magnitude;
    }

    private static string Label(double value) => value.ToString(value < 10 ? "0.##" : "0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
