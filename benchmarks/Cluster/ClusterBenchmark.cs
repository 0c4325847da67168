using System.Diagnostics;
using System.Globalization;
using Cocoon.Benchmarks.Scenarios;
using Cocoon.Client;
using Cocoon.Cluster.Hosting;
using Cocoon.Testing.Hosting;

namespace Cocoon.Benchmarks.Cluster;

internal sealed record ClusterBenchmarkSettings(int Runs, TimeSpan Window, int Callers, int Tokens, int TokensPerSecond)
{
    /// <summary>Which measurements to run: <c>all</c>, <c>throughput</c> or <c>failover</c>.</summary>
    public string Only { get; init; } = "all";
    public bool Throughput => Only is "all" or "throughput";
    public bool Failover => Only is "all" or "failover";
}

/// <summary>
/// The cluster as operators run it, on one machine: a throwaway PostgreSQL, core and worker silos as separate
/// processes (the fixture of tests/Cocoon.Cluster.Tests). Measures echo throughput through 1 core silo and then
/// through 3, and what a kill -9 of a worker under load costs: when its node leaves the candidate lists, when
/// membership declares it dead, and when the last job it had in flight completes elsewhere.
/// </summary>
internal static class ClusterBenchmark
{
    private const string Echo = "echo";
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(ClusterBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var dll = SiloProcess.LocateSilo();
        await using var postgres = new PostgresServer();
        await postgres.StartAsync();
        var cs = postgres.ConnectionString;
        var (code, text) = await ClusterSilo.DbInitAsync(dll, cs, ReadyWithin);
        if (code != 0)
        {
            await output.WriteLineAsync($"db init failed ({code}): {text}");
            return 1;
        }

        var root = Path.Combine(Path.GetTempPath(), "cocoon-cluster-bench-" + Guid.NewGuid().ToString("N"));
        var clusterId = "cocoon-bench-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<ClusterSilo>();
        ClusterSilo Silo(string name, params string[] args)
        {
            // Warnings only: logging every job would be measured too.
            var silo = new ClusterSilo(name, dll, root, cs, clusterId, [.. args, "--Logging:LogLevel:Cocoon=Warning"]);
            silos.Add(silo);
            return silo;
        }
        ClusterSilo Worker(string n) => Silo($"worker-{n}",
            "--Cocoon:Roles=worker",
            $"--Cocoon:Nodes:0:Id=node-{n}",
            "--Cocoon:Nodes:0:Models:0=echo",
            "--Cocoon:Nodes:0:Models:1=echo",
            $"--Cocoon:Nodes:0:MaxActive={settings.Callers}",
            $"--Cocoon:Nodes:0:QueueLimit={4 * settings.Callers}",
            $"--Cocoon:Nodes:0:OwnerAccount=operator-{n}",
            $"--Cocoon:Echo:TokensPerJob={settings.Tokens}",
            $"--Cocoon:Echo:TokensPerSecond={settings.TokensPerSecond}");

        try
        {
            var cores = Enumerable.Range(1, 3).Select(i => Silo($"core-{i}", "--Cocoon:Roles=core")).ToArray();
            var workerA = Worker("a");
            var workerB = Worker("b");
            var clock = Stopwatch.StartNew();
            // One at a time: silos starting together on a small machine miss membership probes.
            foreach (var silo in new[] { cores[0], workerA, workerB }) await silo.StartAsync(ReadyWithin);
            await output.WriteLineAsync($"1 core + 2 workers ready in {clock.Elapsed.TotalSeconds:0.0} s");

            var oneCore = new List<double>();
            await using (var session = await Connect(clusterId, cores[..1]))
            {
                await Until(async () => (await NodeIds(session.Client)).SetEquals(["node-a", "node-b"]), "both echo nodes are listed");
                if (settings.Throughput) await Throughput(session.Client, settings, TimeSpan.FromSeconds(3)); // warm-up: JIT, connections, grains
                for (var run = 0; run < settings.Runs && settings.Throughput; run++)
                {
                    oneCore.Add(await Throughput(session.Client, settings, settings.Window));
                    await output.WriteLineAsync($"  1 core silo, run {run + 1}: {oneCore[^1]:0.0} jobs/s");
                }
            }

            foreach (var core in cores[1..]) await core.StartAsync(ReadyWithin);
            var threeCores = new List<double>();
            var failover = new List<FailoverRun>();
            await using (var session = await Connect(clusterId, cores))
            {
                var client = session.Client;
                if (settings.Throughput) await Throughput(client, settings, TimeSpan.FromSeconds(3));
                for (var run = 0; run < settings.Runs && settings.Throughput; run++)
                {
                    threeCores.Add(await Throughput(client, settings, settings.Window));
                    await output.WriteLineAsync($"  3 core silos, run {run + 1}: {threeCores[^1]:0.0} jobs/s");
                }

                for (var run = 0; run < settings.Runs && settings.Failover; run++)
                {
                    if (!workerA.IsRunning) await workerA.StartAsync(ReadyWithin);
                    await Until(async () => (await NodeIds(client)).Contains("node-a"), "node-a is listed");
                    failover.Add(await KillWorker(client, settings, cs, clusterId, workerA, output));
                    await output.WriteLineAsync($"  kill -9 worker, run {run + 1}: {failover[^1]}");
                }
            }

            var one = Median(oneCore);
            var three = Median(threeCores);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Medians of {settings.Runs} runs ({settings.Callers} callers, echo {settings.Tokens} tokens at {settings.TokensPerSecond} tokens/s, {settings.Window.TotalSeconds:0} s windows, {Environment.ProcessorCount} CPUs):");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| measure | median | runs |");
            await output.WriteLineAsync("|---|---|---|");
            if (settings.Throughput)
            {
                await output.WriteLineAsync($"| echo throughput, 1 core silo | {one:0.0} jobs/s | {Join(oneCore, "0.0")} |");
                await output.WriteLineAsync($"| echo throughput, 3 core silos | {three:0.0} jobs/s | {Join(threeCores, "0.0")} |");
                await output.WriteLineAsync($"| ratio 3 / 1 | {three / one:0.00} | |");
            }
            // Only kills that found jobs in flight on the node say how long their retries took.
            var withRetries = failover.Where(f => f.Retried > 0).ToList();
            await output.WriteLineAsync($"| kill -9 worker → node out of candidates | {Median(failover.Select(f => f.OutOfRotation.TotalSeconds)):0.0} s | {Join(failover.Select(f => f.OutOfRotation.TotalSeconds), "0.0")} |");
            await output.WriteLineAsync($"| kill -9 worker → declared dead | {Median(failover.Select(f => f.DeclaredDead.TotalSeconds)):0.0} s | {Join(failover.Select(f => f.DeclaredDead.TotalSeconds), "0.0")} |");
            await output.WriteLineAsync($"| kill -9 worker → last retried job completed | {Median(withRetries.Select(f => f.LastRetried.TotalSeconds)):0.0} s | {Join(withRetries.Select(f => f.LastRetried.TotalSeconds), "0.0")} |");
            await output.WriteLineAsync($"| jobs retried / failed per kill | {Median(failover.Select(f => (double)f.Retried)):0} / {Median(failover.Select(f => (double)f.Failed)):0} | {string.Join(", ", failover.Select(f => $"{f.Retried}/{f.Failed}"))} |");
            return 0;
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }

    private static Task<CocoonClientSession> Connect(string clusterId, IReadOnlyList<ClusterSilo> cores) =>
        CocoonClientSession.ConnectAsync(o =>
        {
            o.Gateways = [.. cores.Select(c => c.Gateway)];
            o.ClusterId = clusterId;
            o.AccountId = "dev";
            o.Home = cores[0].Home;
        });

    /// <summary>Jobs completed per second while the callers ran for <paramref name="window"/>.</summary>
    private static async Task<double> Throughput(ICocoonClient client, ClusterBenchmarkSettings settings, TimeSpan window)
    {
        var load = new LoadDriver(client, settings.Callers, settings.Tokens);
        using var stop = new CancellationTokenSource();
        var started = DateTimeOffset.UtcNow;
        var running = load.RunAsync("throughput", stop.Token);
        await Task.Delay(window);
        var end = DateTimeOffset.UtcNow;
        stop.Cancel();
        await running;
        var completed = load.Jobs.Count(j => j.Outcome == JobOutcome.Completed && j.EndedAt <= end);
        return completed / (end - started).TotalSeconds;
    }

    private sealed record FailoverRun(TimeSpan OutOfRotation, TimeSpan DeclaredDead, TimeSpan LastRetried, int Retried, int Failed)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"out of candidates {OutOfRotation.TotalSeconds:0.0} s, dead {DeclaredDead.TotalSeconds:0.0} s, last retried job done {LastRetried.TotalSeconds:0.0} s after the kill, {Retried} retried, {Failed} failed");
    }

    /// <summary>Kills worker-a under load and times what follows; every job of the run is read back for its attempts.</summary>
    private static async Task<FailoverRun> KillWorker(ICocoonClient client, ClusterBenchmarkSettings settings, string cs, string clusterId, ClusterSilo worker, TextWriter output)
    {
        var load = new LoadDriver(client, settings.Callers, settings.Tokens);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync("failover", stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var killedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await worker.KillAsync();
        await Until(async () => !(await NodeIds(client)).Contains("node-a"), "node-a leaves the candidate list");
        var outOfRotation = clock.Elapsed;
        await Until(async () => await ClusterMembership.StatusAsync(cs, clusterId, worker.SiloPort) == ClusterMembership.Dead, "the worker is declared dead");
        var dead = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await running;
        await load.ResolveAsync("failover", Within);
        // Jobs that were in flight at the kill: moved to the other node before their first token, or continued by the
        // client after their node died mid-stream.
        var retried = load.Jobs.Where(j => j.Status?.Attempts > 1 || j.Continuations.Count > 0).ToList();
        var last = retried.Count == 0 ? TimeSpan.Zero : retried.Max(j => j.EndedAt) - killedAt;
        var failed = load.Jobs.Where(j => !j.Completed).ToList();
        foreach (var job in failed)
            await output.WriteLineAsync($"    not completed: {job.Id} {job.Outcome} {job.Status?.Phase} attempts={job.Status?.Attempts} {job.Error}");
        return new FailoverRun(outOfRotation, dead, last, retried.Count, failed.Count);
    }

    private static async Task<HashSet<string>> NodeIds(ICocoonClient client) =>
        (await client.ListNodesAsync(Echo)).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Within;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is not OutOfMemoryException && DateTime.UtcNow < until)
            {
                // the cluster is still settling
            }
            if (DateTime.UtcNow >= until) throw new TimeoutException($"Not within {Within.TotalSeconds:0} s: {what}.");
            await Task.Delay(100);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Join(IEnumerable<double> values, string format) =>
        string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
}
