using System.Collections.Concurrent;

namespace Cocoon.Grains.Routing;

public sealed class CircuitBreakerOptions
{
    /// <summary>Consecutive failures that open a node's breaker.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open breaker refuses the node before letting one probe through (half-open).</summary>
    public TimeSpan OpenDuration { get; set; } = TimeSpan.FromSeconds(10);
}

public enum BreakerState { Closed, Open, HalfOpen }

/// <summary>
/// One breaker per node, shared by the job grains of a silo: open after consecutive failures, then one
/// half-open probe; its success closes the breaker, its failure opens it again.
/// </summary>
public sealed class CircuitBreakers(TimeProvider time, Microsoft.Extensions.Options.IOptions<CircuitBreakerOptions> options)
{
    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);

    private sealed class Breaker
    {
        public int Failures;
        public DateTimeOffset OpenedAt;
        public bool Open;
        public bool ProbeInFlight;
    }

    public BreakerState State(string nodeId)
    {
        if (!_breakers.TryGetValue(nodeId, out var b)) return BreakerState.Closed;
        lock (b)
        {
            if (!b.Open) return BreakerState.Closed;
            return time.GetUtcNow() - b.OpenedAt >= options.Value.OpenDuration ? BreakerState.HalfOpen : BreakerState.Open;
        }
    }

    /// <summary>Whether a job may try the node now; in half-open state only one caller gets the probe.</summary>
    public bool TryAcquire(string nodeId)
    {
        if (!_breakers.TryGetValue(nodeId, out var b)) return true;
        lock (b)
        {
            if (!b.Open) return true;
            if (time.GetUtcNow() - b.OpenedAt < options.Value.OpenDuration || b.ProbeInFlight) return false;
            b.ProbeInFlight = true;
            return true;
        }
    }

    public void Success(string nodeId)
    {
        if (!_breakers.TryGetValue(nodeId, out var b)) return;
        lock (b)
        {
            b.Failures = 0;
            b.Open = false;
            b.ProbeInFlight = false;
        }
    }

    /// <summary>Records a failure; returns true when this failure opened the breaker.</summary>
    public bool Failure(string nodeId)
    {
        var b = _breakers.GetOrAdd(nodeId, _ => new Breaker());
        lock (b)
        {
            b.Failures++;
            b.ProbeInFlight = false;
            if (b.Open) { b.OpenedAt = time.GetUtcNow(); return false; }
            if (b.Failures < options.Value.FailureThreshold) return false;
            b.Open = true;
            b.OpenedAt = time.GetUtcNow();
            Telemetry.CocoonTelemetry.BreakerOpened.Add(1);
            return true;
        }
    }
}
