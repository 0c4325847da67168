using System.Diagnostics;
using Cocoon.Client.Tests.Hosting;
using Cocoon.Hosting;
using Cocoon.Security;

namespace Cocoon.Client.Tests.Security;

public sealed class SiloSecretsStartTests
{
    [Fact]
    public async Task A_silo_refuses_to_start_with_a_dev_account_key_others_may_read()
    {
        if (OperatingSystem.IsWindows()) return;
        var home = Directory.CreateTempSubdirectory("cocoon-exposed-").FullName;
        try
        {
            var keyFile = CocoonHome.DevAccountKeyFile(home);
            using (var key = AccountKey.Create()) key.Save(keyFile);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var (exitCode, text) = await RunSiloUntilExit(home);
            Assert.Equal(2, exitCode);
            Assert.Contains("dev-account.key", text);
            Assert.Contains("chmod 600", text);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_silo_refuses_to_start_with_an_unknown_telemetry_exporter()
    {
        var home = Directory.CreateTempSubdirectory("cocoon-exporter-").FullName;
        try
        {
            var (exitCode, text) = await RunSiloUntilExit(home, "--Cocoon:Telemetry:Exporter=jaeger");
            Assert.Equal(2, exitCode);
            Assert.Contains("Cocoon:Telemetry:Exporter 'jaeger' is unknown: use none, console or otlp.", text);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Starts the silo on free ports and waits for it to exit (it is expected to refuse to start).</summary>
    private static async Task<(int ExitCode, string Output)> RunSiloUntilExit(string home, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var ports = FreePorts.Take(3);
        foreach (var a in new[] { SiloProcess.LocateSilo(), $"--Cocoon:Home={home}", "--Cocoon:Storage=memory", "--Cocoon:Serve:Enabled=false",
                     $"--Cocoon:SiloPort={ports[0]}", $"--Cocoon:GatewayPort={ports[1]}", $"--Cocoon:HttpPort={ports[2]}" }.Concat(settings))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await error + await output);
    }
}
