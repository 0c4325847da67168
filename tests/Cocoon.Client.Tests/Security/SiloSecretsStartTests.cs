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

            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var ports = FreePorts.Take(3);
            foreach (var a in new[] { SiloProcess.LocateSilo(), $"--Cocoon:Home={home}", "--Cocoon:Storage=memory", "--Cocoon:Serve:Enabled=false",
                         $"--Cocoon:SiloPort={ports[0]}", $"--Cocoon:GatewayPort={ports[1]}", $"--Cocoon:HttpPort={ports[2]}" })
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }

            Assert.Equal(2, process.ExitCode);
            var text = await error + await output;
            Assert.Contains("dev-account.key", text);
            Assert.Contains("chmod 600", text);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
