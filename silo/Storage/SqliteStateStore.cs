using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cocoon.Silo.Storage;

/// <summary>
/// One SQLite file of grain states. Reads use a small pool of connections (WAL lets them run beside the writer);
/// every change goes through a single writer loop that commits whatever is queued in one transaction (group commit),
/// so many grains writing at once share commits, and each caller's task completes only after its commit.
/// </summary>
internal sealed partial class SqliteStateStore : IAsyncDisposable
{
    // Bumped when the table layout changes; a file from a newer layout is refused rather than misread.
    private const long SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly int _maxBatchSize;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingMutation> _queue = Channel.CreateUnbounded<PendingMutation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly ConcurrentBag<SqliteReadConnection> _idleReaders = [];
    private readonly SemaphoreSlim _readerSlots;
    private readonly Lock _readersLock = new();
    private readonly SqliteConnection _writer;
    private readonly SqliteWriteCommands _writeCommands;
    private readonly Task _writerLoop;
    private readonly SqliteCheckpointer? _checkpointer;
    private int _disposed;
    private long _commits;

    private SqliteStateStore(string connectionString, string path, SqliteGrainStorageOptions options, TimeProvider time, ILogger logger)
    {
        DatabasePath = path;
        _connectionString = connectionString;
        _maxBatchSize = options.MaxBatchSize;
        _time = time;
        _logger = logger;
        _readerSlots = new SemaphoreSlim(options.ReadConnections, options.ReadConnections);
        _writer = new SqliteConnection(connectionString);
        try
        {
            _writer.Open();
            ConfigureWriter(_writer, options);
            _writeCommands = new SqliteWriteCommands(_writer);
            if (options.CheckpointInterval > TimeSpan.Zero)
            {
                _checkpointer = new SqliteCheckpointer(connectionString, path, options.CheckpointInterval, logger);
            }
        }
        catch
        {
            _writeCommands?.Dispose();
            _writer.Dispose();
            throw;
        }

        _writerLoop = Task.Run(RunWriterAsync);
    }

    public string DatabasePath { get; }

    /// <summary>The background checkpointer, or null when the writer checkpoints (<see cref="SqliteGrainStorageOptions.CheckpointInterval"/> zero).</summary>
    internal SqliteCheckpointer? Checkpointer => _checkpointer;

    /// <summary>Transactions committed so far: fewer than the writes when group commit is doing its job.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Opens (creating when missing) the file at <see cref="SqliteGrainStorageOptions.DatabasePath"/>.</summary>
    public static SqliteStateStore Open(SqliteGrainStorageOptions options, TimeProvider time, ILogger logger)
    {
        var path = Path.GetFullPath(options.DatabasePath ?? throw new ArgumentException("DatabasePath is required.", nameof(options)));
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // The store keeps its own connections open; pooling would only keep the file open after disposal.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        return new SqliteStateStore(builder.ToString(), path, options, time, logger);
    }

    /// <summary>The stored row of one state, or null when there is none.</summary>
    public async ValueTask<StoredState?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _readerSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteReadConnection? reader = null;
        try
        {
            if (!_idleReaders.TryTake(out reader))
            {
                reader = new SqliteReadConnection(_connectionString);
            }

            return reader.Read(stateName, grainId);
        }
        finally
        {
            if (reader is not null)
            {
                ReturnReader(reader);
            }

            _readerSlots.Release();
        }
    }

    /// <summary>Queues a change; the task completes after the transaction that holds it has committed.</summary>
    public Task<MutationOutcome> EnqueueAsync(StateMutation mutation)
    {
        var pending = new PendingMutation(mutation);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteStateStore), $"The grain state file {DatabasePath} is closed.");
        }

        return pending.Completion.Task;
    }

    /// <summary>Commits what is queued, then closes every connection (the WAL is checkpointed by the last one).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _checkpointer?.Dispose();
        lock (_readersLock)
        {
            while (_idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }
        }

        _writeCommands.Dispose();
        _writer.Dispose();
        _readerSlots.Dispose();
    }

    private void ReturnReader(SqliteReadConnection reader)
    {
        lock (_readersLock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                reader.Dispose();
            }
            else
            {
                _idleReaders.Add(reader);
            }
        }
    }

    private void ConfigureWriter(SqliteConnection connection, SqliteGrainStorageOptions options)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var journalMode = command.ExecuteScalar() as string;
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogNoWal(journalMode ?? "unknown");
        }

        var synchronous = options.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
        // With a background checkpointer the writer only checkpoints past its backstop (SqliteCheckpointer).
        var autocheckpoint = options.CheckpointInterval > TimeSpan.Zero ? SqliteCheckpointer.WriterBackstopPages : 1000;
        command.CommandText = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA wal_autocheckpoint={autocheckpoint};";
        command.ExecuteNonQuery();

        command.CommandText = "PRAGMA user_version;";
        var version = (long)command.ExecuteScalar()!;
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The grain state file was written by a newer Cocoon (layout {version}, this build knows {SchemaVersion}); upgrade the silo or point it at another file.");
        }

        command.CommandText = """
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name  TEXT    NOT NULL,
                grain_id    TEXT    NOT NULL,
                etag        INTEGER NOT NULL,
                payload     BLOB,
                modified_on INTEGER NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            );
            """ + $"PRAGMA user_version={SchemaVersion};";
        command.ExecuteNonQuery();
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingMutation>(Math.Min(_maxBatchSize, 1024));
        var outcomes = new List<MutationOutcome>(batch.Capacity);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            Commit(batch, outcomes);
            batch.Clear();
            outcomes.Clear();
        }
    }

    private void Commit(List<PendingMutation> batch, List<MutationOutcome> outcomes)
    {
        var cpu = ThreadCpuTime.StartSample();
        try
        {
            _writeCommands.Begin();
            try
            {
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var pending in batch)
                {
                    outcomes.Add(_writeCommands.Apply(pending.Mutation, now));
                }

                _writeCommands.Commit();
            }
            catch
            {
                outcomes.Clear();
                try
                {
                    _writeCommands.RollbackIfOpen();
                }
                catch (SqliteException)
                {
                    // The batch's own error is what its callers need; a transaction left open fails the next BEGIN loudly.
                }

                throw;
            }

            Interlocked.Increment(ref _commits);
            StorageTelemetry.Commits.Add(1);
            ThreadCpuTime.EndSample(cpu, StorageTelemetry.CpuMicros);
        }
        catch (Exception exception)
        {
            // Nothing of the batch is on disk: every caller learns it, none is told its write succeeded.
            LogBatchFailed(exception, batch.Count, DatabasePath);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite did not switch the grain state file to WAL (journal mode {JournalMode}); writes will block reads")]
    private partial void LogNoWal(string journalMode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} grain state changes to {Path} failed; all of them were rolled back")]
    private partial void LogBatchFailed(Exception exception, int count, string path);

    private sealed class PendingMutation(StateMutation mutation)
    {
        public StateMutation Mutation { get; } = mutation;

        // Continuations must not run on the writer loop: it would stall every other grain's commit.
        public TaskCompletionSource<MutationOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
