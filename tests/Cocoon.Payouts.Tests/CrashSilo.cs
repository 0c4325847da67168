using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Cocoon.Payouts.Tests;

/// <summary>
/// The real silo as a child process over a data directory and ports that survive its restarts (SQLite grain store),
/// reading an external chain through its toncenter endpoint. <see cref="StartAsync"/> may arm a crash step
/// (<c>COCOON_TEST_CRASH_AT</c>): the silo then kills itself there, and the test restarts it unarmed.
/// </summary>
public sealed class CrashSilo : IAsyncDisposable
{
    public const string CrashVariable = "COCOON_TEST_CRASH_AT";
    private readonly Queue<string> output = new();
    private Process? process;

    public CrashSilo(string home, Uri toncenter)
    {
        Home = home;
        Toncenter = toncenter;
        (SiloPort, GatewayPort, HttpPort) = (FreePort(), FreePort(), FreePort());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public string Home { get; }
    public Uri Toncenter { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public string Gateway => $"127.0.0.1:{GatewayPort}";
    public int Starts { get; private set; }

    public bool HasExited => process is null || process.HasExited;

    public string OutputTail
    {
        get { lock (output) return string.Join(Environment.NewLine, output); }
    }

    public async Task StartAsync(string? crashAt = null, TimeSpan? readyWithin = null)
    {
        if (!HasExited) throw new InvalidOperationException("The silo is running.");
        process?.Dispose();
        var dll = LocateSilo();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        string[] arguments =
        [
            dll,
            $"--Cocoon:Home={Home}",
            $"--Cocoon:SiloPort={SiloPort}",
            $"--Cocoon:GatewayPort={GatewayPort}",
            $"--Cocoon:HttpPort={HttpPort}",
            "--Cocoon:Roles=core",
            "--Cocoon:Storage=sqlite",
            "--Cocoon:DevFundingNano=0",
            "--Cocoon:Serve:Enabled=false",
            $"--Cocoon:Chain:Toncenter:Endpoint={Toncenter}",
            "--Cocoon:Chain:PollSeconds=0.3",
            "--Cocoon:Treasury:PollSeconds=0.3",
            "--Cocoon:Treasury:ResendInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Cocoon=Information",
        ];
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        start.Environment["COCOON_HOME"] = Home;
        if (crashAt is null) start.Environment.Remove(CrashVariable);
        else start.Environment[CrashVariable] = crashAt;
        process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Starts++;
        await WaitReady(readyWithin ?? TimeSpan.FromSeconds(120));
    }

    /// <summary>Waits for the armed crash: the process ends by itself.</summary>
    public async Task WaitForCrash(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            await process!.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The silo did not crash within {within}:{Environment.NewLine}{OutputTail}");
        }
    }

    private async Task WaitReady(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (process!.HasExited)
            {
                await process.WaitForExitAsync(); // the last output lines (the reason) may still be on their way
                throw new InvalidOperationException($"The silo exited with code {process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
            }
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{HttpPort}/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The silo was not ready within {within}:{Environment.NewLine}{OutputTail}");
    }

    internal static string LocateSilo()
    {
        if (Environment.GetEnvironmentVariable("COCOON_SILO_DLL") is { Length: > 0 } fromEnvironment)
            return File.Exists(fromEnvironment) ? fromEnvironment : throw new FileNotFoundException($"COCOON_SILO_DLL names a missing file: {fromEnvironment}");
        var recorded = typeof(CrashSilo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CocoonSiloPath")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(recorded)) return recorded;
        throw new FileNotFoundException($"The built silo was not found (recorded path: '{recorded}'): build it with `dotnet build silo`, or set COCOON_SILO_DLL.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 300) output.Dequeue();
        }
    }

    private void Kill()
    {
        try
        {
            if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (process is not null)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(wait.Token); } catch (OperationCanceledException) { }
            process.Dispose();
        }
    }
}
