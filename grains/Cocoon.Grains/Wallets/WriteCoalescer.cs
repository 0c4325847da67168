namespace Cocoon.Grains.Wallets;

/// <summary>
/// Group commit for one reentrant grain: callers change the state in memory (in one synchronous turn), then await
/// <see cref="PersistAsync"/>, which completes once a write that began after their change has committed. Changes made
/// while a write is in flight share the next one, so a busy grain writes once per store round trip, not once per call.
/// After a failed write the memory holds changes the store does not: every waiting caller fails, and so does every
/// later one, until the grain reactivates from storage.
/// </summary>
internal sealed class WriteCoalescer(Func<Task> write)
{
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _inFlight;
    private Exception? _failure;

    /// <summary>Set once a write failed: the grain must not serve from its memory any more.</summary>
    public Exception? Failure => _failure;

    /// <summary>Completes when every change made so far is in a committed write.</summary>
    public Task PersistAsync()
    {
        if (_failure is not null) return Task.FromException(Broken());
        var next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_inFlight is null) _ = RunAsync();
        return next.Task;
    }

    /// <summary>
    /// Starts committing the changes made so far without waiting: a later <see cref="PersistAsync"/> or
    /// <see cref="DurableAsync"/> covers them. A failure breaks the grain as it does for a waited write.
    /// </summary>
    public void PersistInBackground()
    {
        var write = PersistAsync();
        if (!write.IsCompleted)
            write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        else
            _ = write.Exception; // observed: the failure is in Failure, and every later call reports it
    }

    /// <summary>Completes when the changes already handed to <see cref="PersistAsync"/> have committed (for reads and repeats).</summary>
    public Task DurableAsync() =>
        _failure is not null ? Task.FromException(Broken()) : (_next ?? _inFlight)?.Task ?? Task.CompletedTask;

    /// <exception cref="InvalidOperationException">A write failed earlier.</exception>
    public void ThrowIfBroken()
    {
        if (_failure is not null) throw Broken();
    }

    private async Task RunAsync()
    {
        while (_next is { } batch)
        {
            _next = null;
            _inFlight = batch;
            try
            {
                await write();
            }
            catch (Exception e)
            {
                _failure = e;
                _inFlight = null;
                batch.TrySetException(e);
                _next?.TrySetException(Broken());
                _next = null;
                return;
            }
            _inFlight = null;
            batch.TrySetResult();
        }
    }

    private InvalidOperationException Broken() =>
        new("A state write of this grain failed, so its memory is ahead of the store; it reloads on its next activation: retry.", _failure);
}
