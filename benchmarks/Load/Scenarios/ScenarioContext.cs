namespace Cocoon.Benchmarks.Load;

/// <summary>The context of one iteration; it also carries what the iteration's steps report back to the runner.</summary>
internal sealed class ScenarioContext(
    ScenarioInfo info,
    long invocationNumber,
    TimeSpan dueAt,
    LoadClock clock,
    ScenarioCollector collector,
    CancellationToken cancellationToken) : IScenarioContext
{
    private readonly Lock _gate = new();
    private List<TimeSpan>? _tokenTimes;
    private Dictionary<string, object>? _data;

    public ScenarioInfo ScenarioInfo => info;

    public long InvocationNumber => invocationNumber;

    public CancellationToken ScenarioCancellationToken => cancellationToken;

    public IDictionary<string, object> Data => _data ??= [];

    public TimeSpan Elapsed => clock.Elapsed - dueAt;

    public TimeSpan DueAt => dueAt;

    internal LoadClock Clock => clock;

    internal ScenarioCollector Collector => collector;

    /// <summary>The first failed step; it fails the whole iteration.</summary>
    internal (string Step, IResponse Response)? FailedStep { get; private set; }

    public void RecordTokens(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var now = clock.Elapsed;
        lock (_gate)
        {
            _tokenTimes ??= [];
            for (var i = 0; i < count; i++)
            {
                _tokenTimes.Add(now);
            }
        }
    }

    internal void MarkStepFailed(string step, IResponse response)
    {
        lock (_gate)
        {
            FailedStep ??= (step, response);
        }
    }

    /// <summary>Token timings recorded through <see cref="RecordTokens"/>, relative to when the iteration was due.</summary>
    internal TokenUsage? RecordedTokens()
    {
        lock (_gate)
        {
            if (_tokenTimes is not { Count: > 0 } times)
            {
                return null;
            }

            var gaps = new TimeSpan[times.Count - 1];
            for (var i = 1; i < times.Count; i++)
            {
                gaps[i - 1] = times[i] - times[i - 1];
            }

            return new TokenUsage(times[0] - dueAt, times.Count, gaps);
        }
    }
}
