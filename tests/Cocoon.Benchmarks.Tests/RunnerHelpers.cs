using Cocoon.Benchmarks.Load;

namespace Cocoon.Benchmarks.Tests;

internal static class RunnerHelpers
{
    /// <summary>Runs on the given clock with no reports and the console captured.</summary>
    public static Task<RunResult> RunQuietly(this LoadTestBuilder builder, LoadClock? clock = null, CancellationToken cancellationToken = default)
    {
        if (clock is not null)
        {
            builder.WithClock(clock);
        }

        return builder.WithoutReports().WithConsole(new StringWriter()).RunAsync(cancellationToken);
    }

    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "cocoon-load-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
