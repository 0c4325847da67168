using System.Diagnostics;
using Cocoon.Benchmarks.Load;
using Cocoon.Client;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// The cluster one Cocoon scenario runs against: the one at <c>--gateway</c>, else a silo process started for the
/// run (memory or SQLite store, nodes as the scenario asks). Holds the connected client and measures CPU time.
/// </summary>
internal sealed class CocoonTarget : IAsyncDisposable
{
    private readonly CocoonClientSession _session;
    private TimeSpan _siloCpuAtMark;
    private TimeSpan _selfCpuAtMark;
    private long _jobsAtMark;
    private SiloMetrics _metricsAtMark = SiloMetrics.None;
    private long _jobs;

    private CocoonTarget(CocoonClientSession session, SiloProcess? silo, string description)
    {
        _session = session;
        Silo = silo;
        Description = description;
    }

    public ICocoonClient Client => _session.Client;

    public IGrainFactory Grains => _session.Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo this run started, or null when it runs against <c>--gateway</c>.</summary>
    public SiloProcess? Silo { get; }

    public string Description { get; }

    /// <summary>One node id per node the self-started silo runs: bench-node-0, bench-node-1, ...</summary>
    public static string NodeId(int index) => $"bench-node-{index}";

    /// <summary>
    /// Connects to <see cref="LoadOptions.Endpoint"/> or starts a silo with <paramref name="nodes"/> nodes serving
    /// <paramref name="models"/>; then waits until a job of <paramref name="probeModel"/> completes.
    /// </summary>
    /// <exception cref="LoadConfigException">A setting is wrong.</exception>
    public static async Task<CocoonTarget> StartAsync(
        LoadOptions options, IReadOnlyList<string> models, int nodes, string probeModel, TextWriter log, CancellationToken cancellationToken)
    {
        var storage = options.GetString("storage", "sqlite");
        if (storage is not ("sqlite" or "memory"))
        {
            throw new LoadConfigException($"Setting 'storage={storage}' is unknown: use sqlite or memory.");
        }

        SiloProcess? silo = null;
        string gateway;
        string description;
        if (options.Endpoint is { Length: > 0 } endpoint)
        {
            gateway = endpoint;
            description = $"cluster at {endpoint}";
        }
        else
        {
            var overrides = new List<string>
            {
                // Measure the network alone: no dev chain (the ledger faucet funds the run).
                "--Cocoon:DevChain:Enabled=false",
                $"--Cocoon:Storage={storage}",
                // Enough credit for millions of echo jobs: the run measures routing, not the faucet.
                "--Cocoon:DevFundingNano=4000000000000000000",
                // The baseline calls the node grain directly, which silos refuse from clients unless told otherwise.
                "--Cocoon:Security:AllowInternalCallsFromClients=true",
                // The baseline sends a plaintext payload straight to the node; jobs through the client are still sealed.
                "--Cocoon:AllowPlaintext=true",
            };
            for (var n = 0; n < nodes; n++)
            {
                overrides.Add($"--Cocoon:Nodes:{n}:Id={NodeId(n)}");
                for (var m = 0; m < 2; m++)
                {
                    // appsettings.json lists two models for node 0: both slots are written so none is inherited.
                    overrides.Add($"--Cocoon:Nodes:{n}:Models:{m}={models[Math.Min(m, models.Count - 1)]}");
                }

                // Admission limits high enough that the knee is the machine's, not a node's queue bound.
                overrides.Add($"--Cocoon:Nodes:{n}:MaxActive={options.GetInt("maxActive", 256)}");
                overrides.Add($"--Cocoon:Nodes:{n}:QueueLimit={options.GetInt("queueLimit", 4096)}");
                overrides.Add($"--Cocoon:Nodes:{n}:OwnerAccount=bench-worker-{n}");
            }

            log.WriteLine($"starting a silo ({storage} store, {nodes} node(s) serving {string.Join(", ", models.Distinct())})");
            silo = await SiloProcess.StartAsync(overrides, TimeSpan.FromSeconds(120), "cocoon-bench-", cancellationToken);
            gateway = silo.Gateway;
            description = $"silo process {silo.ProcessId} on {gateway} ({storage} store, {nodes} node(s))";
        }

        CocoonClientSession session;
        try
        {
            session = await CocoonClientSession.ConnectAsync(o =>
            {
                o.Gateways = [gateway];
                o.Home = silo?.Home;
                // Echo jobs take milliseconds; a deadline inside the 30 s response timeout lets CompleteAsync (and the
                // endpoint's non-streamed requests) run each job as one call, as a caller with short jobs would.
                o.DefaultTimeout = TimeSpan.FromSeconds(20);
            }, cancellationToken: cancellationToken);
        }
        catch
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            throw;
        }

        var target = new CocoonTarget(session, silo, description);
        try
        {
            // The first job waits until a node serves the model (cocoon-tiny loads its weights first).
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(TimeSpan.FromMinutes(2));
            await target.Client.CompleteAsync(new CocoonJobRequest { Model = probeModel, Prompt = "warm", MaxTokens = 2, Timeout = TimeSpan.FromMinutes(2) }, probe.Token);
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }

        log.WriteLine($"target: {description}");
        return target;
    }

    /// <summary>Counts one job (for CPU per job).</summary>
    public void CountJob() => Interlocked.Increment(ref _jobs);

    public long Jobs => Interlocked.Read(ref _jobs);

    /// <summary>
    /// Starts the CPU-per-job window once <paramref name="warmUp"/> has passed: the warm-up's jobs, and the just-in-time
    /// compilation they cause in both processes, stay out of the figures.
    /// </summary>
    public void MarkCpuAfter(TimeSpan warmUp)
    {
        if (warmUp <= TimeSpan.Zero)
        {
            MarkCpu();
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            MarkCpu();
        });
    }

    /// <summary>Starts a CPU-per-job measurement window now.</summary>
    public void MarkCpu()
    {
        _siloCpuAtMark = Silo is { HasExited: false } s ? s.CpuTime : TimeSpan.Zero;
        _selfCpuAtMark = Process.GetCurrentProcess().TotalProcessorTime;
        _jobsAtMark = Jobs;
        _metricsAtMark = Silo is { HasExited: false } silo ? SiloMetrics.ReadAsync(silo.HttpPort).GetAwaiter().GetResult() : SiloMetrics.None;
    }

    /// <summary>
    /// <see cref="CpuReport"/> plus the store's share read from the silo's counters: writes and transactions per job,
    /// bytes per job, and the CPU time of serializing and committing (the rest of the silo's CPU is grain calls,
    /// messaging, crypto, the model and the runtime).
    /// </summary>
    public async Task<string> CpuReportAsync()
    {
        var report = CpuReport();
        var jobs = Jobs - _jobsAtMark;
        if (jobs <= 0 || Silo is not { HasExited: false } silo)
        {
            return report;
        }

        var storage = await SiloMetrics.ReadAsync(silo.HttpPort) - _metricsAtMark;
        if (storage.Writes <= 0)
        {
            return report + Environment.NewLine + "storage: no counters (memory store, or /metrics not answering)";
        }

        var siloCpu = (silo.CpuTime - _siloCpuAtMark).TotalMicroseconds / jobs;
        var storageCpu = storage.StorageCpuMicros / jobs;
        return report + Environment.NewLine +
            $"storage per job: {storage.Writes / jobs:0.0} writes in {storage.Commits / jobs:0.00} transactions " +
            $"({storage.Writes / Math.Max(1, storage.Commits):0.0} writes per commit), {storage.WrittenBytes / jobs / 1024:0.0} KiB, " +
            $"cpu ~{storageCpu:0} us (sampled; {storageCpu / Math.Max(1, siloCpu) * 100:0}% of the silo's); rest of the silo {siloCpu - storageCpu:0} us/job" +
            Environment.NewLine +
            $"grain calls per job: {storage.ClientRequests / jobs:0.00} from the client through the gateway, {storage.GrainRequests / jobs:0.00} grain to grain" +
            Environment.NewLine +
            $"runtime per job: {storage.AllocatedBytes / jobs / 1024:0.0} KiB allocated, {storage.ThreadPoolItems / jobs:0.0} thread-pool items, " +
            $"{storage.LockContentions / jobs:0.00} lock contentions; {storage.Collections:0} collections pausing {storage.GcPauseSeconds * 1e6 / jobs:0} us/job";
    }

    /// <summary>CPU time per job since <see cref="MarkCpu"/>: the silo's (when this run started it) and this process's (client and load generator).</summary>
    public string CpuReport()
    {
        var jobs = Jobs - _jobsAtMark;
        if (jobs <= 0)
        {
            return "cpu: no jobs ran";
        }

        var self = Process.GetCurrentProcess().TotalProcessorTime - _selfCpuAtMark;
        var client = $"client+generator {self.TotalMicroseconds / jobs:0} us/job";
        if (Silo is not { HasExited: false } silo)
        {
            return $"cpu over {jobs} jobs: silo not measured (not started by this run), {client}";
        }

        var siloCpu = silo.CpuTime - _siloCpuAtMark;
        return $"cpu over {jobs} jobs: silo {siloCpu.TotalMicroseconds / jobs:0} us/job, {client} (silo {siloCpu.TotalSeconds:0.0} s, client {self.TotalSeconds:0.0} s)";
    }

    /// <summary>The echo job sent straight to a node grain, skipping JobGrain, routing, wallet and ledger: the routing baseline.</summary>
    /// <summary>The cheapest client-to-silo round trip: the registry's network parameters (a few fields, no storage).</summary>
    public Task PingAsync() => Grains.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get();

    public async Task<int> ExecuteOnNodeAsync(string nodeId, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var payload = new JobPayload(PayloadFormat.Plain, new PromptContent { Prompt = prompt }.ToUtf8());
        var metadata = new JobMetadata("echo", maxTokens, payload.Data.Length, 4_000, DateTimeOffset.UtcNow.AddSeconds(30));
        var node = Grains.GetGrain<INodeGrain>(nodeId);
        var events = 0;
        var finished = false;
        await foreach (var e in node.Execute("bench-" + Guid.NewGuid().ToString("N"), "dev", metadata, payload, cancellationToken))
        {
            events++;
            finished |= e is NodeJobFinished;
        }

        // A node reports failures by throwing; a stream that ends without its finish event is a failure too.
        return finished ? events : throw new InvalidOperationException($"node {nodeId} ended the job without finishing it ({events} events).");
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
    }
}
