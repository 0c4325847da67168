using System.Diagnostics;
using System.Reflection;

namespace Cocoon.Testing.Hosting;

/// <summary>
/// The real silo (<c>dotnet Cocoon.Silo.dll</c>) as a child process with its own temporary data directory and free
/// ports; waits for <c>/readyz</c>, keeps the tail of its output for failure messages, and kills it (only it) when
/// disposed. Tests and benchmarks add their <c>--Cocoon:...</c> overrides; later values on the command line win.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly System.Text.StringBuilder _all = new();

    /// <summary>Everything the silo (and its children) printed so far: what a secrets scan reads.</summary>
    public string AllOutput
    {
        get { lock (_output) return _all.ToString(); }
    }

    private SiloProcess(Process process, string home, int gatewayPort, int httpPort)
    {
        _process = process;
        Home = home;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
        // If the host dies without disposing, the silo must not outlive it.
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

    /// <summary>
    /// Starts a single-machine silo (localhost clustering, warnings-only logging, no `cocoon serve` child) with
    /// <paramref name="overrides"/> added to its command line, in a new folder named <paramref name="homePrefix"/>GUID.
    /// </summary>
    /// <exception cref="FileNotFoundException">The silo is not built.</exception>
    /// <exception cref="InvalidOperationException">It exited before it was ready.</exception>
    /// <exception cref="TimeoutException">It was not ready in time.</exception>
    public static async Task<SiloProcess> StartAsync(
        IEnumerable<string> overrides, TimeSpan readyWithin, string homePrefix = "cocoon-silo-", CancellationToken cancellationToken = default)
    {
        var dll = LocateSilo();
        var home = Path.Combine(Path.GetTempPath(), homePrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var ports = FreePorts.Take(3);
        var (siloPort, gatewayPort, httpPort) = (ports[0], ports[1], ports[2]);
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
            $"--Cocoon:Home={home}",
            $"--Cocoon:SiloPort={siloPort}",
            $"--Cocoon:GatewayPort={gatewayPort}",
            $"--Cocoon:HttpPort={httpPort}",
            "--Logging:LogLevel:Default=Warning",
            // The silo's own `cocoon serve` child would take port 8080: callers start the endpoint themselves.
            "--Cocoon:Serve:Enabled=false",
            .. overrides,
        ];
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        start.Environment["COCOON_HOME"] = home;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} did not start.");
        var silo = new SiloProcess(process, home, gatewayPort, httpPort);
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
                // The exit can be seen before the last output lines are read (they carry the reason): wait for the
                // redirected streams to end first.
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/readyz"), cancellationToken);
                if (response.IsSuccessStatusCode && File.Exists(Path.Combine(Home, "endpoints.json"))) return;
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
    public static string LocateSilo()
    {
        if (Environment.GetEnvironmentVariable("COCOON_SILO_DLL") is { Length: > 0 } fromEnvironment)
            return File.Exists(fromEnvironment) ? fromEnvironment : throw new FileNotFoundException($"COCOON_SILO_DLL names a missing file: {fromEnvironment}");
        var recorded = typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonSiloPath")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(recorded)) return recorded;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "silo", "bin");
            if (!File.Exists(Path.Combine(dir.FullName, "silo", "Cocoon.Silo.csproj")) || !Directory.Exists(bin)) continue;
            var newest = Directory.EnumerateFiles(bin, "Cocoon.Silo.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (newest is not null) return newest;
        }
        throw new FileNotFoundException(
            $"The built silo was not found (recorded path: '{recorded}'): build it with `dotnet build silo`, or set COCOON_SILO_DLL.");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
            _all.AppendLine(line);
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
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
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the OS later
        }
    }
}
