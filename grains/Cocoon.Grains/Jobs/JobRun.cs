using Cocoon.Jobs;

namespace Cocoon.Grains.Jobs;

/// <summary>
/// The live event log of a running job. Every caller of <c>Run</c> (the first and any that attach later)
/// reads it from the start; all access happens on the grain's single-threaded scheduler.
/// </summary>
internal sealed class JobRun(string accountId)
{
    /// <summary>The account that started the job; set before admission, so concurrent callers are checked against it.</summary>
    public string AccountId { get; } = accountId;

    /// <summary>Started by <see cref="Cocoon.Jobs.IJobGrain.Complete"/>: its caller reads nothing before the end, so the node answers in one call too.</summary>
    public bool Whole { get; init; }

    /// <summary>Set when admission failed: every attached caller gets the same error.</summary>
    public Exception? Error { get; private set; }

    private readonly List<JobEvent> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>How many callers have attached; the latest one owns the job's cancellation.</summary>
    public int Attaches;

    public bool Finished { get; private set; }

    public void Add(JobEvent e)
    {
        _events.Add(e);
        Signal();
    }

    public void Fail(Exception error)
    {
        Error = error;
        Finish();
    }

    public void Finish()
    {
        Finished = true;
        Signal();
    }

    public async IAsyncEnumerable<JobEvent> Read([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = 0;
        while (true)
        {
            while (next < _events.Count)
                yield return _events[next++];
            if (Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
            if (Finished) yield break;
            await _changed.Task.WaitAsync(cancellationToken);
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
