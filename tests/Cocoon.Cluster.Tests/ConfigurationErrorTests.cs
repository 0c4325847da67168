using System.Diagnostics;
using Cocoon.Testing.Hosting;

namespace Cocoon.Cluster.Tests;

/// <summary>PostgreSQL mode without its settings must stop at once with a message naming them, not fail later.</summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("--Cocoon:Clustering=postgres", "ConnectionStrings:Cocoon is not set")]
    [InlineData("--Cocoon:Clustering=postgres", "Cocoon:AdvertisedAddress is required")]
    [InlineData("--Cocoon:Storage=postgres", "ConnectionStrings:Cocoon is not set")]
    [InlineData("db", "ConnectionStrings:Cocoon is not set")]
    public async Task Postgres_mode_without_its_settings_exits_with_a_clear_error(string argument, string expected)
    {
        var dll = SiloProcess.LocateSilo();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(argument);
        if (argument == "db") start.ArgumentList.Add("init");
        start.Environment.Remove("ConnectionStrings__Cocoon");
        start.Environment["COCOON_HOME"] = Path.Combine(Path.GetTempPath(), "cocoon-config-tests-" + Guid.NewGuid().ToString("N"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, (await stderr) + (await stdout), StringComparison.Ordinal);
    }
}
