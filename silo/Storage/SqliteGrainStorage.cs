using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Cocoon.Silo.Storage;

/// <summary>
/// Orleans grain storage in one SQLite file: the single-machine default. ETags are the row's version number
/// ("1", "2", ...); a write or clear whose ETag is not the stored one throws <see cref="InconsistentStateException"/>
/// and changes nothing.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly Serializer? _orleansSerializer;
    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private SqliteStateStore? _store;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options,
        IActivatorProvider activators,
        ILogger<SqliteGrainStorage> logger,
        TimeProvider? time = null,
        Serializer? orleansSerializer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        new SqliteGrainStorageOptionsValidator(options, name).ValidateConfiguration();
        _name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer
            ?? throw new OrleansConfigurationException($"SQLite grain storage '{name}': no {nameof(IGrainStorageSerializer)} is configured.");
        // Orleans' own storage serializer grows a fresh buffer by doubling, then the payload is copied out of it: about
        // three times the state's size allocated per write. Its bytes are the Orleans serializer's, so with that
        // serializer the same bytes come from one reused buffer and one exact copy.
        _orleansSerializer = _serializer is OrleansGrainStorageSerializer ? orleansSerializer : null;
        _activators = activators;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Opens the database, creating the file and its table when missing. Called at silo start; idempotent.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store is null)
            {
                _store = SqliteStateStore.Open(_options, _time, _logger);
                LogOpened(_name, _store.DatabasePath);
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    /// <summary>Commits the queued writes and closes the file. Called at silo stop, after grains have deactivated.</summary>
    public async Task CloseAsync()
    {
        await _openLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_store is { } store)
            {
                _store = null;
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    // The container may dispose this twice (keyed storage and lifecycle participant are one instance): keep it idempotent.
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", _options.InitStage, OpenAsync, _ => CloseAsync());

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await Store.ReadAsync(stateName, grainId.ToString()).ConfigureAwait(false);
        if (stored is { Payload: { } payload } row)
        {
            grainState.State = Deserialize<T>(stateName, grainId, payload);
            grainState.ETag = FormatETag(row.ETag);
            grainState.RecordExists = true;
        }
        else
        {
            // A cleared state keeps its tombstone's ETag so the next write continues the version sequence.
            grainState.State = CreateDefault<T>();
            grainState.ETag = stored is { } tombstone ? FormatETag(tombstone.ETag) : null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var cpu = ThreadCpuTime.StartSample();
        var payload = _orleansSerializer is { } orleans ? SerializeExact(orleans, grainState.State) : _serializer.Serialize(grainState.State).ToArray();
        ThreadCpuTime.EndSample(cpu, StorageTelemetry.CpuMicros);
        StorageTelemetry.Writes.Add(1);
        StorageTelemetry.WrittenBytes.Add(payload.Length);
        var outcome = await MutateAsync("write", StateMutationKind.Write, stateName, grainId, grainState.ETag, payload).ConfigureAwait(false);
        grainState.ETag = FormatETag(outcome.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var kind = _options.DeleteStateOnClear ? StateMutationKind.Delete : StateMutationKind.Clear;
        var outcome = await MutateAsync("clear", kind, stateName, grainId, grainState.ETag, payload: null).ConfigureAwait(false);
        grainState.ETag = FormatETag(outcome.ETag);
        grainState.RecordExists = false;
        grainState.State = CreateDefault<T>();
    }

    internal long CommitCount => _store?.CommitCount ?? 0;

    /// <summary>The store's background checkpointer, when open and configured.</summary>
    internal SqliteCheckpointer? Checkpointer => _store?.Checkpointer;

    private SqliteStateStore Store => _store
        ?? throw new InvalidOperationException($"SQLite grain storage '{_name}' is not open: it opens at silo start (or call {nameof(OpenAsync)}).");

    private async Task<MutationOutcome> MutateAsync(
        string operation, StateMutationKind kind, string stateName, GrainId grainId, string? etag, byte[]? payload)
    {
        var id = grainId.ToString();
        long? expected = null;
        if (etag is not null)
        {
            if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                // Not an ETag this storage ever issued: report what is stored without touching it.
                var current = await Store.ReadAsync(stateName, id).ConfigureAwait(false);
                throw Inconsistent(operation, stateName, id, current?.ETag, etag);
            }

            expected = parsed;
        }

        var outcome = await Store.EnqueueAsync(new StateMutation(kind, stateName, id, expected, payload)).ConfigureAwait(false);
        if (!outcome.Applied)
        {
            throw Inconsistent(operation, stateName, id, outcome.ETag, etag);
        }

        return outcome;
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, string grainId, long? stored, string? current)
    {
        var storedText = FormatETag(stored);
        LogConflict(_name, operation, stateName, grainId, storedText ?? "none", current ?? "none");
        return new InconsistentStateException(
            $"ETag conflict on {operation} in SQLite grain storage '{_name}': state '{stateName}' of grain {grainId} is stored with ETag " +
            $"{storedText ?? "none (no row)"}, the caller had {current ?? "none"}. Another activation changed it; reload the state.",
            storedText,
            current);
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The bytes <see cref="OrleansGrainStorageSerializer"/> writes, built in this thread's reused buffer.</summary>
    private static byte[] SerializeExact<T>(Serializer serializer, T state)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        try
        {
            serializer.Serialize(state, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 1024 * 1024) t_buffer = null; // one huge state does not pin its buffer to the thread
        }
    }

    private T Deserialize<T>(string stateName, GrainId grainId, byte[] payload)
    {
        try
        {
            return _serializer.Deserialize<T>(new BinaryData(payload)) ?? CreateDefault<T>();
        }
        catch (Exception exception)
        {
            throw new SqliteGrainStorageException(
                $"SQLite grain storage '{_name}': state '{stateName}' of grain {grainId} cannot be deserialized as {typeof(T).FullName}. " +
                "Was the state type changed incompatibly, or the serializer changed?", exception);
        }
    }

    private static string? FormatETag(long? etag) => etag?.ToString(CultureInfo.InvariantCulture);

    // The same activator Orleans uses for a state that was never written, so a cleared state equals a fresh one.
    private T CreateDefault<T>() => _activators.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite grain storage '{Name}' opened {Path}")]
    private partial void LogOpened(string name, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite grain storage '{Name}': ETag conflict on {Operation} of state '{StateName}' of grain {GrainId}: stored {Stored}, caller {Current}")]
    private partial void LogConflict(string name, string operation, string stateName, string grainId, string stored, string current);
}
