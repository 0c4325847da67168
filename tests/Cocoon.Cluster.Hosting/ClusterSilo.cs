using System.Diagnostics;

namespace Cocoon.Cluster.Hosting;

/// <summary>
/// One real silo process of a PostgreSQL cluster on fixed ports and its own COCOON_HOME: it can be killed (SIGKILL),
/// stopped gracefully (SIGTERM) and started again on the same ports and home, as an operator would.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _connectionString;
    private readonly Queue<string> _output = new();
    private readonly StreamWriter _log;
    private Process? _process;

    public ClusterSilo(string name, string dll, string root, string connectionString, string clusterId, IReadOnlyList<string> roleArguments)
    {
        Name = name;
        _dll = dll;
        _connectionString = connectionString;
        Home = Path.Combine(root, name);
        Directory.CreateDirectory(Home);
        // Every line the silo writes, across restarts: the test prints the path when a scenario goes wrong.
        LogPath = Path.Combine(Home, "silo.log");
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        (SiloPort, GatewayPort, HttpPort) = (LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next());
        _arguments =
        [
            $"--Cocoon:Home={Home}",
            "--Cocoon:Clustering=postgres",
            "--Cocoon:Storage=postgres",
            // No OpenAI child per silo (they would all want port 8080).
            "--Cocoon:Serve:Enabled=false",
            // Each silo has its own data dir and so its own dev CA; sealing across them needs a shared CA (not here yet).
            "--Cocoon:Sealing=off",
            $"--Cocoon:ClusterId={clusterId}",
            "--Cocoon:AdvertisedAddress=127.0.0.1",
            $"--Cocoon:SiloPort={SiloPort}",
            $"--Cocoon:GatewayPort={GatewayPort}",
            $"--Cocoon:HttpPort={HttpPort}",
            "--Cocoon:DrainSeconds=20",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            "--Logging:LogLevel:Cocoon=Information",
            .. roleArguments,
        ];
    }

    public string Name { get; }
    public string Home { get; }
    public string LogPath { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public string Gateway => $"127.0.0.1:{GatewayPort}";
    public bool IsRunning => _process is { HasExited: false };

    public string OutputTail
    {
        get { lock (_output) return string.Join(Environment.NewLine, _output); }
    }

    /// <summary>Runs <c>Cocoon.Silo db init</c> against the database and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> DbInitAsync(string dll, string connectionString, TimeSpan within)
    {
        var start = Start(dll, ["db", "init"], connectionString, home: null);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Starts the process and waits for <c>/readyz</c> (the silo is Active in the cluster).</summary>
    public async Task StartAsync(TimeSpan readyWithin)
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is already running.");
        _process?.Dispose();
        var process = Process.Start(Start(_dll, _arguments, _connectionString, Home))
            ?? throw new InvalidOperationException($"{Name}: dotnet did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReady(readyWithin);
    }

    /// <summary>kill -9: no goodbye, the cluster must notice by itself.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started.");
        process.Kill(entireProcessTree: false);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(wait.Token);
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service; returns the exit code once the silo has gone.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started.");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(within);
        await process.WaitForExitAsync(wait.Token);
        return process.ExitCode;
    }

    private async Task WaitReady(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (_process!.HasExited)
            {
                await _process.WaitForExitAsync(); // the last output lines (the reason) may still be on their way
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
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
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within {within}:{Environment.NewLine}{OutputTail}");
    }

    private static ProcessStartInfo Start(string dll, IEnumerable<string> arguments, string connectionString, string? home)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The secret travels as an operator would pass it: in the environment, never on the command line.
        start.Environment["ConnectionStrings__Cocoon"] = connectionString;
        if (home is not null) start.Environment["COCOON_HOME"] = home;
        return start;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _log.WriteLine(line);
            _output.Enqueue(line);
            while (_output.Count > 100) _output.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try { await KillAsync(); }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { /* already gone */ }
        }
        _process?.Dispose();
        lock (_output) _log.Dispose();
    }
}
