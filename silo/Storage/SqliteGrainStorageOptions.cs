using Orleans;
using Orleans.Storage;

namespace Cocoon.Silo.Storage;

/// <summary>Options of one named <see cref="SqliteGrainStorage"/> provider.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    public const int DefaultInitStage = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The database file; created with its folder when missing. The silo passes <c>$COCOON_HOME/grains.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Silo lifecycle stage at which the database is opened (and, on stop, closed after grains deactivate).</summary>
    public int InitStage { get; set; } = DefaultInitStage;

    /// <inheritdoc/>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>Most writes committed in one transaction by the group-commit writer.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Read connections kept open; reads never wait on the writer in WAL mode.</summary>
    public int ReadConnections { get; set; } = 4;

    /// <summary>How long a statement waits for a lock held by another process on the same file.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <see cref="SqliteSynchronousMode.Normal"/> survives process crashes but may lose the last commits on power loss;
    /// <see cref="SqliteSynchronousMode.Full"/> fsyncs every commit.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Normal;

    /// <summary>
    /// How often a background connection copies the WAL into the database file (a passive checkpoint, which never
    /// waits for the writer). The writer itself no longer checkpoints every 1,000 pages: a checkpoint's two fsyncs held
    /// every queued commit for 15–20 ms. <see cref="TimeSpan.Zero"/> leaves checkpoints to the writer, as SQLite does.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Delete the row on clear. Off by default: a cleared state keeps a tombstone row so its ETag keeps increasing
    /// and a stale activation can never write over a clear.
    /// </summary>
    public bool DeleteStateOnClear { get; set; }
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that are safe with WAL.</summary>
public enum SqliteSynchronousMode
{
    Normal,
    Full,
}
