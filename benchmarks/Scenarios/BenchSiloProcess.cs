using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// A real silo (<c>dotnet Cocoon.Silo.dll</c>) started for one scenario run: its own temporary data directory, free
/// ports and <c>--Cocoon:...</c> overrides; waits for <c>/readyz</c>, keeps the tail of its output for error
/// messages, and kills it (only it) when disposed. Its CPU time is what the scenarios divide by the jobs run.
/// </summary>
internal sealed class BenchSiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private BenchSiloProcess(Process process, string home, int gatewayPort, int httpPort)
    {
        _process = process;
        Home = home;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        // If the benchmark dies without disposing, the silo must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public string Home { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>User plus kernel CPU time the silo has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string OutputTail
    {
        get { lock (_output) return string.Join(Environment.NewLine, _output); }
    }

    /// <summary>Starts a single-machine silo (localhost clustering) with <paramref name="overrides"/> added to its command line.</summary>
    /// <exception cref="FileNotFoundException">The silo is not built.</exception>
    /// <exception cref="InvalidOperationException">It exited before it was ready.</exception>
    /// <exception cref="TimeoutException">It was not ready in time.</exception>
    public static async Task<BenchSiloProcess> StartAsync(IEnumerable<string> overrides, TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        var dll = LocateSilo();
        var home = Path.Combine(Path.GetTempPath(), "cocoon-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var (siloPort, gatewayPort, httpPort) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in new[]
                 {
                     $"--Cocoon:Home={home}",
                     $"--Cocoon:SiloPort={siloPort}",
                     $"--Cocoon:GatewayPort={gatewayPort}",
                     $"--Cocoon:HttpPort={httpPort}",
                     "--Logging:LogLevel:Default=Warning",
                     // Measure the network alone: no dev chain (the ledger faucet funds the run), no OpenAI child on 8080.
                     "--Cocoon:DevChain:Enabled=false",
                     "--Cocoon:Serve:Enabled=false",
                 }.Concat(overrides))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["COCOON_HOME"] = home;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} did not start.");
        var silo = new BenchSiloProcess(process, home, gatewayPort, httpPort);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitReady(readyWithin, cancellationToken);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    private async Task WaitReady(TimeSpan within, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz"), cancellationToken);
                if (response.IsSuccessStatusCode && File.Exists(Path.Combine(Home, "endpoints.json")))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The silo was not ready within {within}:{Environment.NewLine}{OutputTail}");
    }

    /// <summary>
    /// The built silo: $COCOON_SILO_DLL, else the path the build recorded, else the newest build under silo/bin of
    /// the enclosing repository.
    /// </summary>
    internal static string LocateSilo()
    {
        if (Environment.GetEnvironmentVariable("COCOON_SILO_DLL") is { Length: > 0 } fromEnvironment)
        {
            return File.Exists(fromEnvironment) ? fromEnvironment : throw new FileNotFoundException($"COCOON_SILO_DLL names a missing file: {fromEnvironment}");
        }

        var recorded = typeof(BenchSiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonSiloPath")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(recorded))
        {
            return recorded;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "silo", "bin");
            if (!File.Exists(Path.Combine(dir.FullName, "silo", "Cocoon.Silo.csproj")) || !Directory.Exists(bin))
            {
                continue;
            }

            var newest = Directory.EnumerateFiles(bin, "Cocoon.Silo.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new FileNotFoundException(
            $"The built silo was not found (recorded path: '{recorded}'): build it with `dotnet build silo`, set COCOON_SILO_DLL, or pass --gateway HOST:PORT of a running cluster.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the OS later
        }
    }
}
