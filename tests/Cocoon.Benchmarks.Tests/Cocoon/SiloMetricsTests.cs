using Cocoon.Benchmarks.Scenarios;

namespace Cocoon.Benchmarks.Tests.Cocoon;

public class SiloMetricsTests
{
    // Lines as the silo's Prometheus exporter writes them (names gain their unit and _total; label sets vary).
    private const string Text = """
        # TYPE cocoon_storage_writes_total counter
        cocoon_storage_writes_total{otel_scope_name="Cocoon"} 1821
        cocoon_storage_commits_total{otel_scope_name="Cocoon"} 1659
        cocoon_storage_written_bytes_total{otel_scope_name="Cocoon"} 4096
        cocoon_storage_cpu_microseconds_total{otel_scope_name="Cocoon"} 233862
        cocoon_storage_writes_created 1700000000
        orleans_gateway_received_total{otel_scope_name="Microsoft.Orleans"} 512
        orleans_messaging_processing_dispatcher_received_total{otel_scope_name="Microsoft.Orleans",Context="Grain",Direction="Request"} 1540
        orleans_messaging_processing_dispatcher_received_total{otel_scope_name="Microsoft.Orleans",Context="None",Direction="Request"} 512
        orleans_messaging_processing_dispatcher_received_total{otel_scope_name="Microsoft.Orleans",Context="Grain",Direction="OneWay"} 7
        dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 1048576
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 40
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 2
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.25
        dotnet_thread_pool_work_item_count_total{otel_scope_name="System.Runtime"} 9000
        dotnet_monitor_lock_contentions_total{otel_scope_name="System.Runtime"} 3
        """;

    [Fact]
    public void Parse_reads_the_store_counters_and_the_client_and_grain_requests()
    {
        var m = SiloMetrics.Parse(Text);
        Assert.Equal(1821, m.Writes);
        Assert.Equal(1659, m.Commits);
        Assert.Equal(4096, m.WrittenBytes);
        Assert.Equal(233862, m.StorageCpuMicros);
        Assert.Equal(512, m.ClientRequests);
        Assert.Equal(1540, m.GrainRequests);
        Assert.Equal(1048576, m.AllocatedBytes);
        Assert.Equal(42, m.Collections); // every generation
        Assert.Equal(0.25, m.GcPauseSeconds);
        Assert.Equal(9000, m.ThreadPoolItems);
        Assert.Equal(3, m.LockContentions);
    }

    [Fact]
    public void A_difference_subtracts_every_counter()
    {
        var later = SiloMetrics.Parse(Text);
        var d = later - SiloMetrics.None;
        Assert.Equal(later, d);
        var zero = later - later;
        Assert.Equal(0, zero.ClientRequests);
        Assert.Equal(0, zero.GrainRequests);
        Assert.Equal(0, zero.Writes);
        Assert.Equal(0, zero.AllocatedBytes);
        Assert.Equal(0, zero.ThreadPoolItems);
    }
}
