namespace Cocoon.Client.Tests.Hosting;

[Collection(SiloCollection.Name)]
public sealed class MetricsEndpointTests(SiloFixture fixture)
{
    [Fact]
    public async Task Metrics_carry_Cocoon_Orleans_and_the_runtime_meters()
    {
        Assert.Equal(0, (await fixture.Cli("run", "--prompt", "count me", "--max-tokens", "2")).ExitCode);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/metrics");

        Assert.Contains("cocoon_jobs_started", metrics, StringComparison.Ordinal);
        Assert.Contains("orleans_gateway_received", metrics, StringComparison.Ordinal);
        // System.Runtime: what operators (and the load scenarios' per-job lines) read of the GC and the thread pool.
        Assert.Contains("dotnet_gc_heap_total_allocated", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_thread_pool_work_item_count", metrics, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/dashboard")).StatusCode);
    }
}

public sealed class DashboardSettingTests
{
    [Fact]
    public async Task With_the_dashboard_off_its_page_is_gone_and_the_metrics_stay()
    {
        await using var silo = await TestSilo.StartAsync(TimeSpan.FromSeconds(120), "--Cocoon:Dashboard=false");
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{silo.HttpPort}/dashboard")).StatusCode);
        Assert.Contains("orleans_", await http.GetStringAsync($"http://127.0.0.1:{silo.HttpPort}/metrics"), StringComparison.Ordinal);
    }
}
