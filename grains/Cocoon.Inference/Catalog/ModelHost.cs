using Cocoon.Inference.Loading;

namespace Cocoon.Inference.Catalog;

/// <summary>
/// Several models on one device within a memory budget: a load that would exceed it (weights + KV caches + prefix
/// cache, as <see cref="ModelCatalog.EstimateBytes"/> estimates) is refused before anything is read.
/// </summary>
public sealed class ModelHost(long memoryBudgetBytes) : IAsyncDisposable
{
    private readonly Dictionary<string, (IInferenceSession Session, long Bytes)> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _reserved = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public long MemoryBudgetBytes { get; } = memoryBudgetBytes;

    public long UsedBytes
    {
        get
        {
            lock (_lock)
                return _sessions.Values.Sum(s => s.Bytes) + _reserved.Values.Sum();
        }
    }

    public IReadOnlyCollection<string> Models
    {
        get
        {
            lock (_lock)
                return [.. _sessions.Keys];
        }
    }

    public IInferenceSession? Get(string model)
    {
        lock (_lock)
            return _sessions.TryGetValue(model, out var s) ? s.Session : null;
    }

    /// <summary>Adds an already created session (the echo model, say) at an estimated size.</summary>
    public void Add(IInferenceSession session, long bytes)
    {
        lock (_lock)
        {
            Reserve(session.Model, bytes);
            _reserved.Remove(session.Model);
            _sessions[session.Model] = (session, bytes);
        }
    }

    public Task<IInferenceSession> LoadAsync(ModelSpec spec, IProgress<ModelLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return LoadAsync(spec.Name, ModelCatalog.EstimateBytes(spec), ct => ModelCatalog.LoadAsync(spec, progress, ct), cancellationToken);
    }

    /// <summary>
    /// Loads a session of any kind that will need <paramref name="bytes"/>: the budget is reserved before
    /// <paramref name="load"/> runs, so two loads racing for the last bytes cannot both start.
    /// </summary>
    public async Task<IInferenceSession> LoadAsync(string model, long bytes, Func<CancellationToken, Task<IInferenceSession>> load, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
            Reserve(model, bytes);
        try
        {
            var session = await load(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _reserved.Remove(model);
                _sessions[model] = (session, bytes);
            }
            return session;
        }
        catch
        {
            lock (_lock)
                _reserved.Remove(model);
            throw;
        }
    }

    public async Task UnloadAsync(string model)
    {
        IInferenceSession? session = null;
        lock (_lock)
        {
            if (_sessions.Remove(model, out var entry))
                session = entry.Session;
        }
        if (session is not null)
            await session.DisposeAsync().ConfigureAwait(false);
    }

    private void Reserve(string model, long bytes)
    {
        if (_sessions.ContainsKey(model) || _reserved.ContainsKey(model))
            throw new ModelLoadException($"Model {model} is already loaded on this host.");
        var available = MemoryBudgetBytes - _sessions.Values.Sum(s => s.Bytes) - _reserved.Values.Sum();
        if (bytes > available)
            throw new ModelMemoryBudgetException(model, bytes, Math.Max(0, available));
        _reserved[model] = bytes;
    }

    public async ValueTask DisposeAsync()
    {
        List<IInferenceSession> sessions;
        lock (_lock)
        {
            sessions = [.. _sessions.Values.Select(s => s.Session)];
            _sessions.Clear();
        }
        foreach (var s in sessions)
            await s.DisposeAsync().ConfigureAwait(false);
    }
}
