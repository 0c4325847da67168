namespace Cocoon.Benchmarks.Load;

/// <summary>Everything measured for one scenario or one step, behind one lock.</summary>
internal sealed class StatsCollector(string name, Slo? slo)
{
    private readonly Lock _gate = new();
    private readonly MeasurementCollector _ok = new();
    private readonly MeasurementCollector _fail = new();
    private readonly LlmCollector _llm = new();
    private readonly TimeSeriesCollector _timeSeries = new();
    private long _goodput;

    public string Name => name;

    /// <param name="completedAt">When it ended, from the start of measurement.</param>
    public void Record(IResponse response, TimeSpan latency, TimeSpan completedAt, TokenUsage? tokens)
    {
        if (latency < TimeSpan.Zero) latency = TimeSpan.Zero;
        lock (_gate)
        {
            TimeSpan? perToken = null;
            if (response.IsError)
            {
                _fail.Record(latency, response);
            }
            else
            {
                _ok.Record(latency, response);
                if (tokens is not null)
                {
                    perToken = _llm.Record(latency, tokens);
                }

                if (slo is not null && slo.IsMetBy(latency, tokens?.TimeToFirstToken, perToken))
                {
                    _goodput++;
                }
            }

            _timeSeries.Record((int)completedAt.TotalSeconds, latency, !response.IsError, Math.Max(0, response.SizeBytes));
        }
    }

    public ProgressStats Progress()
    {
        lock (_gate)
        {
            return new ProgressStats(
                _ok.Count,
                _fail.Count,
                _ok.Latency.ValueAtPercentile(50) / 1000.0,
                _ok.Latency.ValueAtPercentile(99) / 1000.0);
        }
    }

    public (MeasurementStats Ok, MeasurementStats Fail, LlmStats? Llm, GoodputStats? Goodput, IReadOnlyList<TimeSeriesPoint> TimeSeries) ToStats(TimeSpan duration)
    {
        lock (_gate)
        {
            var all = _ok.Count + _fail.Count;
            var seconds = duration.TotalSeconds;
            var goodput = slo is null
                ? null
                : new GoodputStats(slo, _goodput, all > 0 ? 100.0 * _goodput / all : 0, seconds > 0 ? _goodput / seconds : 0);
            return (_ok.ToStats(duration, all), _fail.ToStats(duration, all), _llm.ToStats(duration), goodput, _timeSeries.ToPoints());
        }
    }
}

/// <summary>A cheap running view for the live console.</summary>
internal readonly record struct ProgressStats(long OkCount, long FailCount, double P50Ms, double P99Ms);
