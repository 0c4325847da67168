using System.Runtime.CompilerServices;
using Cocoon.Inference.Loading;
using TorchSharp;

namespace Cocoon.Inference.Generation;

/// <summary>
/// A loaded model serving concurrent requests with continuous batching: a scheduler thread runs one forward pass
/// per step over every active sequence (new jobs' prompts and running jobs' last tokens together); a job that
/// arrives joins at the next step, and one that finishes or is cancelled leaves at once. Prompts reuse the KV of
/// recently computed prefixes.
/// </summary>
public sealed class TorchInferenceSession : IInferenceSession
{
    private readonly LoadedModel _model;
    private readonly SessionOptions _options;
    private readonly PrefixCache _prefixCache;
    private readonly Queue<GenerationJob> _queue = new();
    private readonly List<GenerationJob> _active = [];
    private readonly Thread _scheduler;
    private bool _disposed;
    private long _cachedTokensServed;

    internal TorchInferenceSession(LoadedModel model, SessionOptions options)
    {
        if (options.MaxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBatch must be at least 1.");
        if (options.PrefillChunkTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "PrefillChunkTokens must be at least 1.");
        _model = model;
        _options = options;
        _prefixCache = new PrefixCache(options.PrefixCacheBytes);
        _scheduler = new Thread(Run) { IsBackground = true, Name = $"cocoon-inference-{model.Name}" };
        _scheduler.Start();
    }

    public string Model => _model.Name;

    /// <summary>Longest prompt + completion a request may use.</summary>
    public int ContextLength => _model.Decoder.MaxContext;

    /// <summary>Bytes the session holds for weights; KV caches come on top (see <see cref="ModelCatalog.EstimateBytes"/>).</summary>
    public long WeightBytes => _model.Decoder.WeightBytes;

    /// <summary>Prompt tokens served from the prefix cache since the session started.</summary>
    public long CachedTokensServed => Interlocked.Read(ref _cachedTokensServed);

    internal LoadedModel Loaded => _model;

    public int CountPromptTokens(GenerationRequest request) => Tokenize(request).Length;

    /// <summary>The prompt's token ids after the chat template (what the model sees).</summary>
    public int[] Tokenize(GenerationRequest request)
    {
        if (request.Messages is { Count: > 0 } messages)
            return _model.Tokenizer.Encode(_model.ChatTemplate.Render(messages), parseSpecialTokens: true);
        // Raw prompts are user text: special-token look-alikes in them stay ordinary text.
        return _model.Tokenizer.Encode(request.Prompt ?? "", parseSpecialTokens: false);
    }

    public async IAsyncEnumerable<GenerationStep> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var job = CreateJob(request, cancellationToken);
        lock (_queue)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(job);
            Monitor.Pulse(_queue);
        }
        using var wake = cancellationToken.Register(Wake);
        try
        {
            await foreach (var step in job.Output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return step;
        }
        finally
        {
            job.Abandoned = true;
            Wake();
        }
    }

    private GenerationJob CreateJob(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxTokens <= 0)
            throw new InvalidGenerationRequestException($"max tokens must be positive, got {request.MaxTokens}.");
        var hasText = request.Messages is { Count: > 0 } messages
            ? messages.Any(m => !string.IsNullOrEmpty(m.Content))
            : !string.IsNullOrEmpty(request.Prompt);
        if (!hasText)
            throw new InvalidGenerationRequestException("The prompt is empty: send a prompt or at least one message with content.");
        Sampler.Validate(request.Sampling);
        if (request.StopSequences.Any(string.IsNullOrEmpty))
            throw new InvalidGenerationRequestException("Stop sequences must not be empty strings.");
        var prompt = Tokenize(request);
        if (prompt.Length >= ContextLength)
            throw new InvalidGenerationRequestException($"The prompt has {prompt.Length} tokens; this model's context holds {ContextLength} (prompt + completion).");
        var maxTokens = Math.Min(request.MaxTokens, ContextLength - prompt.Length);
        return new GenerationJob(prompt, maxTokens, new Sampler(request.Sampling), new TextStream(request.StopSequences), cancellationToken);
    }

    private void Wake()
    {
        lock (_queue)
            Monitor.Pulse(_queue);
    }

    private void Run()
    {
        var arriving = new List<GenerationJob>();
        while (true)
        {
            lock (_queue)
            {
                while (!_disposed && _queue.Count == 0 && _active.Count == 0)
                    Monitor.Wait(_queue);
                if (_disposed)
                    break;
                while (_queue.Count > 0 && _active.Count + arriving.Count < _options.MaxBatch)
                    arriving.Add(_queue.Dequeue());
            }
            _active.RemoveAll(job =>
            {
                if (job.Gone)
                    job.Complete(null);
                return job.Finished;
            });
            arriving.RemoveAll(job =>
            {
                if (job.Gone)
                    job.Complete(null);
                return job.Finished;
            });
            if (_active.Count == 0 && arriving.Count == 0)
                continue;
            Step(arriving);
            arriving.Clear();
        }
        foreach (var job in _active)
            job.Complete(new ObjectDisposedException(nameof(TorchInferenceSession)));
        _active.Clear();
    }

    // One scheduler step: admit arriving jobs (restore their cached prefix, prefill the rest) and decode one token
    // for every running job, all in one forward pass.
    private void Step(List<GenerationJob> arriving)
    {
        var batch = new List<(Models.KvCache, int[])>(_active.Count + arriving.Count);
        var jobs = new List<GenerationJob>(batch.Capacity);
        try
        {
            foreach (var job in arriving)
            {
                job.Cache = _model.Decoder.NewCache(job.Prompt.Length + job.MaxTokens);
                // At least the last prompt token is computed: its logits give the first completion token.
                job.CachedPromptTokens = _options.PrefixCacheBytes > 0 ? _prefixCache.Restore(job.Prompt, job.Prompt.Length - 1, job.Cache) : 0;
                Interlocked.Add(ref _cachedTokensServed, job.CachedPromptTokens);
                var remaining = job.Prompt[job.CachedPromptTokens..];
                for (; remaining.Length > _options.PrefillChunkTokens; remaining = remaining[_options.PrefillChunkTokens..])
                    _model.Decoder.Forward([(job.Cache, remaining[.._options.PrefillChunkTokens])]);
                batch.Add((job.Cache, remaining));
                jobs.Add(job);
            }
            foreach (var job in _active)
            {
                batch.Add((job.Cache!, [job.LastToken]));
                jobs.Add(job);
            }
            var logits = _model.Decoder.Forward(batch);
            if (_options.PrefixCacheBytes > 0)
            {
                foreach (var job in arriving)
                    _prefixCache.Store(job.Prompt, job.Prompt.Length, job.Cache!);
            }
            for (var i = 0; i < jobs.Count; i++)
            {
                var job = jobs[i];
                if (!job.Accept(job.Sample(logits[i]), _model) && !_active.Contains(job))
                    _active.Add(job);
            }
            _active.RemoveAll(j => j.Finished);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed forward pass fails the jobs in it, not the session.
            foreach (var job in jobs.Concat(arriving).Distinct())
                job.Complete(new InvalidOperationException($"Inference failed for model {Model}: {e.Message}", e));
            _active.RemoveAll(j => j.Finished);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_queue)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            Monitor.PulseAll(_queue);
        }
        _scheduler.Join();
        lock (_queue)
        {
            while (_queue.TryDequeue(out var job))
                job.Complete(new ObjectDisposedException(nameof(TorchInferenceSession)));
        }
        _prefixCache.Dispose();
        _model.Dispose();
        return ValueTask.CompletedTask;
    }
}
