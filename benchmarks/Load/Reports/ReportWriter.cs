namespace Cocoon.Benchmarks.Load;

/// <summary>Writes the chosen report files into a folder and returns their paths.</summary>
public static class ReportWriter
{
    public static IReadOnlyList<string> Write(RunResult result, string folder, string fileName, IReadOnlyList<ReportFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var format in formats.Distinct())
        {
            switch (format)
            {
                case ReportFormat.Txt:
                    written.Add(Save(folder, $"{fileName}.txt", TextReport.Render(result)));
                    break;
                case ReportFormat.Md:
                    written.Add(Save(folder, $"{fileName}.md", MarkdownReport.Render(result)));
                    break;
                case ReportFormat.Csv:
                    written.Add(Save(folder, $"{fileName}.csv", CsvReport.RenderStats(result)));
                    written.Add(Save(folder, $"{fileName}-timeseries.csv", CsvReport.RenderTimeSeries(result)));
                    break;
                case ReportFormat.Html:
                    written.Add(Save(folder, $"{fileName}.html", HtmlReport.Render(result)));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(formats), format, "Unknown report format.");
            }
        }

        return written;
    }

    private static string Save(string folder, string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
