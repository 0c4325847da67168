using System.Globalization;

namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// Counters read from a silo's Prometheus endpoint (<c>/metrics</c>): the store's writes, transactions, bytes and CPU
/// time (<c>cocoon.storage.*</c>), which the scenarios divide by the jobs run to split a job's CPU by component, and
/// Orleans' message counts: requests from clients through the gateway, and grain-to-grain requests.
/// </summary>
internal sealed record SiloMetrics(double Writes, double Commits, double WrittenBytes, double StorageCpuMicros)
{
    public static readonly SiloMetrics None = new(0, 0, 0, 0);

    /// <summary>Requests that arrived from clients through the gateway (<c>orleans_gateway_received</c>).</summary>
    public double ClientRequests { get; init; }

    /// <summary>Requests one grain sent another (<c>orleans_messaging_processing_dispatcher_received</c>, context Grain).</summary>
    public double GrainRequests { get; init; }

    /// <summary>Bytes the silo's managed code allocated (<c>dotnet.gc.heap.total_allocated</c>, meter System.Runtime).</summary>
    public double AllocatedBytes { get; init; }

    /// <summary>Garbage collections of any generation (<c>dotnet.gc.collections</c>).</summary>
    public double Collections { get; init; }

    /// <summary>Seconds the runtime paused threads for collections (<c>dotnet.gc.pause.time</c>).</summary>
    public double GcPauseSeconds { get; init; }

    /// <summary>Work items the thread pool ran (<c>dotnet.thread_pool.work_item.count</c>).</summary>
    public double ThreadPoolItems { get; init; }

    /// <summary>Times a thread waited for a contended lock (<c>dotnet.monitor.lock_contentions</c>).</summary>
    public double LockContentions { get; init; }

    /// <summary>The silo's counters now, or <see cref="None"/> when it does not answer (the counters are optional).</summary>
    public static async Task<SiloMetrics> ReadAsync(int httpPort, CancellationToken cancellationToken = default)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            return Parse(await http.GetStringAsync($"http://127.0.0.1:{httpPort}/metrics", cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return None;
        }
    }

    /// <summary>Sums each counter over its label sets; the exporter may add a unit and <c>_total</c> to the name.</summary>
    public static SiloMetrics Parse(string text)
    {
        double writes = 0, commits = 0, bytes = 0, cpu = 0, clientRequests = 0, grainRequests = 0;
        double allocated = 0, collections = 0, pause = 0, workItems = 0, contentions = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line.Contains("_created", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("orleans_gateway_received", StringComparison.Ordinal))
            {
                clientRequests += ValueOf(line);
                continue;
            }

            if (line.StartsWith("orleans_messaging_processing_dispatcher_received", StringComparison.Ordinal)
                && line.Contains("Context=\"Grain\"", StringComparison.Ordinal) && line.Contains("Direction=\"Request\"", StringComparison.Ordinal))
            {
                grainRequests += ValueOf(line);
                continue;
            }

            if (line.StartsWith("dotnet_", StringComparison.Ordinal))
            {
                var runtimeValue = ValueOf(line);
                if (line.StartsWith("dotnet_gc_heap_total_allocated", StringComparison.Ordinal)) allocated += runtimeValue;
                else if (line.StartsWith("dotnet_gc_collections", StringComparison.Ordinal)) collections += runtimeValue;
                else if (line.StartsWith("dotnet_gc_pause_time", StringComparison.Ordinal)) pause += runtimeValue;
                else if (line.StartsWith("dotnet_thread_pool_work_item_count", StringComparison.Ordinal)) workItems += runtimeValue;
                else if (line.StartsWith("dotnet_monitor_lock_contentions", StringComparison.Ordinal)) contentions += runtimeValue;
                continue;
            }

            if (!line.StartsWith("cocoon_storage_", StringComparison.Ordinal))
            {
                continue;
            }

            var name = line[..line.IndexOfAny(['{', ' '])];
            var value = ValueOf(line);

            // Prometheus adds the unit and _total to the metric's name; match on the instrument's own name.
            var bare = name["cocoon_storage_".Length..];
            if (bare.StartsWith("writes", StringComparison.Ordinal)) writes += value;
            else if (bare.StartsWith("commits", StringComparison.Ordinal)) commits += value;
            else if (bare.StartsWith("written", StringComparison.Ordinal)) bytes += value;
            else if (bare.StartsWith("cpu", StringComparison.Ordinal)) cpu += value;
        }

        return new SiloMetrics(writes, commits, bytes, cpu)
        {
            ClientRequests = clientRequests,
            GrainRequests = grainRequests,
            AllocatedBytes = allocated,
            Collections = collections,
            GcPauseSeconds = pause,
            ThreadPoolItems = workItems,
            LockContentions = contentions,
        };
    }

    private static double ValueOf(string line) =>
        double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static SiloMetrics operator -(SiloMetrics a, SiloMetrics b) =>
        new(a.Writes - b.Writes, a.Commits - b.Commits, a.WrittenBytes - b.WrittenBytes, a.StorageCpuMicros - b.StorageCpuMicros)
        {
            ClientRequests = a.ClientRequests - b.ClientRequests,
            GrainRequests = a.GrainRequests - b.GrainRequests,
            AllocatedBytes = a.AllocatedBytes - b.AllocatedBytes,
            Collections = a.Collections - b.Collections,
            GcPauseSeconds = a.GcPauseSeconds - b.GcPauseSeconds,
            ThreadPoolItems = a.ThreadPoolItems - b.ThreadPoolItems,
            LockContentions = a.LockContentions - b.LockContentions,
        };
}
