using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cocoon.Cluster.Hosting;

/// <summary>
/// A throwaway PostgreSQL server for tests and benchmarks: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a
/// free loopback port (socket in the same folder), one database created; stopped and deleted on dispose. PostgreSQL
/// refuses to run as root, so under root (CI) the folder is given to the <c>postgres</c> user and the tools run through
/// <c>runuser -u postgres --</c>. <see cref="CreateDatabaseAsync"/> gives each test its own database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private const string DefaultDatabase = "cocoon";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    private string _root = "";
    private string _dataDirectory = "";
    private string _binDirectory = "";
    private bool _runAsPostgres;
    private bool _started;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Connection string to the fixture's own database (<c>cocoon</c>), as the superuser, no password (trust).</summary>
    public string ConnectionString => ConnectionStringFor(DefaultDatabase);

    /// <summary>Connection string to another database of this server.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        // Tests drop databases; pooled idle connections would keep them busy.
        Pooling = false,
        Timeout = 30,
    }.ConnectionString;

    /// <summary>Creates the cluster and starts the server.</summary>
    public async Task StartAsync()
    {
        _binDirectory = FindBinaries();
        _root = Path.Combine(Path.GetTempPath(), $"cocoon-pg-{Guid.NewGuid():N}");
        _dataDirectory = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        _runAsPostgres = IsRoot();
        if (_runAsPostgres)
        {
            await RunAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", _root], asPostgres: false);
        }

        await RunAsync(Tool("initdb"), ["-D", _dataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], _runAsPostgres);

        // The port is free when picked but may be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            try
            {
                await RunAsync(Tool("pg_ctl"),
                [
                    "-D", _dataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start",
                    "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                ], _runAsPostgres);
                _started = true;
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch (InvalidOperationException exception)
            {
                var log = Path.Combine(_root, "server.log");
                throw new InvalidOperationException(
                    $"PostgreSQL did not start: {exception.Message}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}", exception);
            }
        }

        await ExecuteAsync("postgres", $"CREATE DATABASE {DefaultDatabase}");
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"test_{Guid.NewGuid():N}";
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>Runs one statement in a database of this server.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
            {
                await RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], _runAsPostgres);
            }
        }
        finally
        {
            if (_root.Length > 0 && Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private static string FindBinaries()
    {
        var overridden = Environment.GetEnvironmentVariable("COCOON_PG_BIN");
        var candidates = !string.IsNullOrEmpty(overridden)
            ? [overridden]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .ToArray()
                : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
                "Install them with `apt-get install postgresql` (CI does), or set COCOON_PG_BIN to the folder that holds them.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", SuperUser, "--", fileName])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} did not finish within {ToolTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
