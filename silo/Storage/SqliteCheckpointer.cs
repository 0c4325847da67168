using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Cocoon.Silo.Storage;

/// <summary>
/// Copies the WAL back into the database file from its own connection and thread, every interval, with passive
/// checkpoints: they copy what no reader still needs and never wait for the writer, which keeps committing meanwhile.
/// Their fsyncs then stall no commit. The writer's own automatic checkpoint stays as a backstop at
/// <see cref="WriterBackstopPages"/> pages, so the WAL stays bounded even if this thread stops.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    /// <summary>The writer's <c>wal_autocheckpoint</c> while a checkpointer runs: 64 MiB of 4 KiB pages.</summary>
    public const int WriterBackstopPages = 16_384;

    private readonly SqliteConnection _connection;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _checkpoints;
    private long _framesCopied;

    public SqliteCheckpointer(string connectionString, string path, TimeSpan interval, ILogger logger)
    {
        _interval = interval;
        _logger = logger;
        _path = path;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        // A connection opens the WAL on its first read; until then a checkpoint through it finds "not in WAL mode".
        using (var touch = _connection.CreateCommand())
        {
            touch.CommandText = "SELECT count(*) FROM sqlite_master;";
            touch.ExecuteScalar();
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "Cocoon SQLite checkpointer" };
        _thread.Start();
    }

    /// <summary>Passive checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>WAL frames those checkpoints copied into the database file.</summary>
    public long FramesCopied => Interlocked.Read(ref _framesCopied);

    private void Run()
    {
        var failing = false;
        while (!_stop.Wait(_interval))
        {
            try
            {
                var rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out _, out var copied);
                if (rc is not (raw.SQLITE_OK or raw.SQLITE_BUSY)) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
                Interlocked.Increment(ref _checkpoints);
                if (copied > 0) Interlocked.Add(ref _framesCopied, copied);
                failing = false;
            }
            catch (Exception exception)
            {
                // The writer's backstop still checkpoints; say so when checkpoints start failing, not every interval.
                if (!failing) LogCheckpointFailed(exception, _path);
                failing = true;
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background checkpoint of {Path} failed; the writer checkpoints by itself past its backstop")]
    private partial void LogCheckpointFailed(Exception exception, string path);
}
