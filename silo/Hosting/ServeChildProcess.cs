using System.Diagnostics;
using System.Reflection;
using Cocoon.Hosting;
using Microsoft.Extensions.Options;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// The single-machine experience: once the silo is up, <c>cocoon serve</c> runs beside it as a child process on
/// http://127.0.0.1:PORT (Cocoon:Serve:Port, 8080), billing the dev account; it is killed when the silo stops.
/// On by default in the dev profile (Cocoon:Serve:Enabled).
/// </summary>
public sealed class ServeChildProcess(
    IOptions<SiloSettings> settings, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<ServeChildProcess> logger) : IHostedService
{
    private Process? _process;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        if (!configuration.GetValue("Cocoon:Serve:Enabled", s.IsDev)) return Task.CompletedTask;
        var port = configuration.GetValue("Cocoon:Serve:Port", 8080);
        if (port is < 1 or > 65535)
        {
            logger.LogError("Cocoon:Serve:Port {Port} is not a TCP port: the OpenAI-compatible endpoint is not started", port);
            return Task.CompletedTask;
        }
        // After every hosted service has started: the gateway listens and the dev account file exists.
        lifetime.ApplicationStarted.Register(() => Start(s, port));
        return Task.CompletedTask;
    }

    private void Start(SiloSettings s, int port)
    {
        var dll = LocateCli();
        if (dll is null)
        {
            logger.LogWarning("The cocoon CLI (cocoon.dll) was not found beside the silo's build: the OpenAI-compatible endpoint is not started");
            return;
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "serve", "--home", CocoonHome.Resolve(s.Home), "--gateway", $"127.0.0.1:{s.GatewayPort}", "--urls", $"http://127.0.0.1:{port}", "--exit-with", Environment.ProcessId.ToString() })
            start.ArgumentList.Add(arg);
        try
        {
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogInformation("cocoon serve: {Line}", line); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogInformation("cocoon serve: {Line}", line); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            Console.WriteLine($"  OpenAI API       http://127.0.0.1:{port}/v1/chat/completions   (cocoon serve, pid {process.Id})");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogWarning(e, "cocoon serve could not be started: the OpenAI-compatible endpoint is not available");
        }
    }

    /// <summary>$COCOON_CLI_DLL, else the path the build recorded (the silo builds the CLI as a reference).</summary>
    private static string? LocateCli()
    {
        if (Environment.GetEnvironmentVariable("COCOON_CLI_DLL") is { Length: > 0 } fromEnvironment && File.Exists(fromEnvironment)) return fromEnvironment;
        var recorded = typeof(ServeChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonCliPath")?.Value;
        return !string.IsNullOrEmpty(recorded) && File.Exists(recorded) ? recorded : null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not { } process) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(cancellationToken);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }
}
