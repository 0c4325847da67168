using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cocoon.Ton.Toncenter;

namespace Cocoon.Ton.DevChain;

/// <summary>
/// The dev chain (<c>silo/devchain</c>, Node.js) as a child process: installs its packages with <c>npm ci</c> when
/// they are missing, starts <c>node server.js</c>, waits for its ready line, and stops it (SIGTERM, so it saves its
/// state, then kill) on dispose.
/// </summary>
public sealed partial class DevChainProcess : IAsyncDisposable
{
    /// <summary>Environment variable that points at the <c>silo/devchain</c> folder, overriding the search.</summary>
    public const string DirectoryEnvironmentVariable = "COCOON_DEVCHAIN_DIR";

    private const string NodeRequired = "Node.js 20 is required: install it from your package manager";
    private const int OutputTailLines = 40;

    private readonly Process process;
    private readonly DevChainOptions options;
    private readonly Queue<string> outputTail;
    private int disposed;
    private int? exitCode;

    private DevChainProcess(Process process, DevChainOptions options, Uri baseUrl, Queue<string> outputTail)
    {
        this.process = process;
        this.outputTail = outputTail;
        this.options = options;
        BaseUrl = baseUrl;
    }

    /// <summary>The dev chain's root, such as <c>http://127.0.0.1:8090/</c>; the hooks live under <c>dev/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The toncenter v2 root, <c>{BaseUrl}api/v2/</c>.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/v2/");

    public int Port => BaseUrl.Port;

    public int ProcessId => process.Id;

    public bool HasExited => exitCode is not null || (Volatile.Read(ref disposed) == 0 && process.HasExited);

    /// <summary>The exit code once stopped: 0 after a clean SIGTERM shutdown, 137 after a kill.</summary>
    public int? ExitCode => exitCode;

    /// <summary>Options for a <see cref="ToncenterClient"/> that talks to this dev chain.</summary>
    public ToncenterOptions ToncenterOptions() => new() { BaseUrl = ApiBaseUrl, MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(100) };

    /// <summary>Installs (if needed) and starts the dev chain, returning once it serves requests.</summary>
    public static async Task<DevChainProcess> StartAsync(DevChainOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        var directory = options.DevChainDirectory ?? FindDevChainDirectory();
        if (!File.Exists(Path.Combine(directory, "server.js")))
        {
            throw new DevChainException($"{directory} has no server.js: it is not the silo/devchain folder.");
        }

        await EnsureInstalledAsync(directory, options, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(options.DataDirectory);

        var startInfo = new ProcessStartInfo(options.NodeExecutable)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "server.js",
            "--port", options.Port.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.GetFullPath(options.DataDirectory),
            "--host", options.Host,
            "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        void Remember(string line)
        {
            lock (tail)
            {
                tail.Enqueue(line);
                while (tail.Count > OutputTailLines)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Remember(e.Data);
            var match = ReadyLine().Match(e.Data);
            if (match.Success)
            {
                ready.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Remember(e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new DevChainException(
            $"the dev chain exited with code {SafeExitCode(process)} before it was ready:{Environment.NewLine}{Tail(tail)}"));

        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new DevChainException($"{NodeRequired} ('{options.NodeExecutable}' could not be started: {e.Message}).", innerException: e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri baseUrl;
        try
        {
            baseUrl = await ready.Task.WaitAsync(options.StartupTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            KillQuietly(process);
            process.Dispose();
            if (e is TimeoutException)
            {
                throw new DevChainException($"the dev chain did not report ready within {options.StartupTimeout.TotalSeconds:0} s:{Environment.NewLine}{Tail(tail)}", innerException: e);
            }

            throw;
        }

        return new DevChainProcess(process, options, baseUrl, tail);
    }

    /// <summary>The last lines the dev chain printed (for diagnostics).</summary>
    public string RecentOutput()
    {
        lock (outputTail)
        {
            return string.Join(Environment.NewLine, outputTail);
        }
    }

    /// <summary>Stops the dev chain: SIGTERM so it saves its state, then a kill if it has not exited in time.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                if (!OperatingSystem.IsWindows() && SendSigterm(process.Id))
                {
                    using var timeout = new CancellationTokenSource(options.StopTimeout);
                    try
                    {
                        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Fall through to the kill below.
                    }
                }

                KillQuietly(process);
            }

            await process.WaitForExitAsync().ConfigureAwait(false);
            exitCode = process.ExitCode;
        }
        finally
        {
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// The <c>silo/devchain</c> folder: <c>COCOON_DEVCHAIN_DIR</c> when set, else the first ancestor of the
    /// application's folder that contains <c>silo/devchain/server.js</c>.
    /// </summary>
    public static string FindDevChainDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var full = Path.GetFullPath(fromEnvironment);
            if (!File.Exists(Path.Combine(full, "server.js")))
            {
                throw new DevChainException($"{DirectoryEnvironmentVariable}={fromEnvironment} has no server.js: point it at the silo/devchain folder.");
            }

            return full;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "silo", "devchain");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }

        throw new DevChainException(
            $"silo/devchain/server.js was not found above {AppContext.BaseDirectory}: set {DirectoryEnvironmentVariable} to the silo/devchain folder.");
    }

    /// <summary>A loopback TCP port that is free now (another process may still take it before it is used).</summary>
    public static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs <c>npm ci</c> in the dev chain folder unless its packages are already installed.</summary>
    public static async Task EnsureInstalledAsync(string devChainDirectory, DevChainOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IsInstalled(devChainDirectory))
        {
            return;
        }

        // Test fixtures in parallel would otherwise run two npm ci in one folder, and each deletes the other's files.
        await using var installLock = await AcquireInstallLockAsync(devChainDirectory, options.InstallTimeout, cancellationToken).ConfigureAwait(false);
        if (IsInstalled(devChainDirectory))
        {
            return;
        }

        var startInfo = new ProcessStartInfo(options.NpmExecutable)
        {
            WorkingDirectory = devChainDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var npm = new Process { StartInfo = startInfo };
        try
        {
            npm.Start();
        }
        catch (Win32Exception e)
        {
            throw new DevChainException($"{NodeRequired} ('{options.NpmExecutable}' could not be started: {e.Message}).", innerException: e);
        }

        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await npm.WaitForExitAsync(cancellationToken).WaitAsync(options.InstallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            KillQuietly(npm);
            if (e is TimeoutException)
            {
                throw new DevChainException($"npm ci in {devChainDirectory} did not finish within {options.InstallTimeout.TotalMinutes:0} min.", innerException: e);
            }

            throw;
        }

        if (npm.ExitCode != 0)
        {
            var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
            throw new DevChainException($"npm ci in {devChainDirectory} failed with exit code {npm.ExitCode}:{Environment.NewLine}{output.Trim()}");
        }
    }

    // npm writes node_modules/.package-lock.json last, so its presence means a completed install.
    private static bool IsInstalled(string directory) =>
        File.Exists(Path.Combine(directory, "node_modules", ".package-lock.json"))
        && File.Exists(Path.Combine(directory, "node_modules", "@ton", "sandbox", "package.json"));

    private static async Task<FileStream> AcquireInstallLockAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"cocoon-devchain-install-{key}.lock");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool SendSigterm(int pid)
    {
        const int sigterm = 15;
        try
        {
            return Kill(pid, sigterm) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static string Tail(Queue<string> tail)
    {
        lock (tail)
        {
            return string.Join(Environment.NewLine, tail);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^devchain listening on (?<url>http://\S+)$")]
    private static partial Regex ReadyLine();
}
