using System.Diagnostics;
using Cocoon.Client;
using Cocoon.Testing.Hosting;
using Cocoon.Cluster.Hosting;
using Cocoon.Jobs;
using Cocoon.Wallets;
using Xunit.Abstractions;

namespace Cocoon.Cluster.Tests;

/// <summary>
/// The real silo, five processes on one PostgreSQL database (3 core, 2 workers with one slow echo node each), under a
/// steady client load while silos are killed, restarted and stopped. No scenario may lose a job that reached the
/// network, charge one twice, or leave the dev account's ledger inexact (balance + captured costs == the dev funding,
/// nothing left reserved); a worker killed or stopped, or a core silo stopped, fails no job at all (a kill's in-flight
/// jobs are retried on the other worker, or continued by the client after their node died mid-stream). The figures
/// are printed and quoted in docs/operations.md; deadlines are generous and nothing asserts how fast the cluster is.
/// </summary>
public sealed class FaultToleranceTests(ITestOutputHelper output)
{
    private const long Funding = 100_000_000_000; // the dev profile's default DevFundingNano
    private const int Callers = 4;
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan NoticeWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LoadAfter = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Cluster_loses_no_job_and_keeps_an_exact_ledger_when_silos_die_restart_and_stop()
    {
        var postgres = new PostgresServer();
        await postgres.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "cocoon-cluster-tests-" + Guid.NewGuid().ToString("N"));
        var silos = new List<ClusterSilo>();
        try
        {
            var dll = SiloProcess.LocateSilo();
            var cs = postgres.ConnectionString;
            var (code, text) = await ClusterSilo.DbInitAsync(dll, cs, ReadyWithin);
            Assert.True(code == 0, text);
            (code, text) = await ClusterSilo.DbInitAsync(dll, cs, ReadyWithin);
            Assert.True(code == 0 && text.Contains("current", StringComparison.Ordinal), $"db init is not idempotent: {text}");

            var clusterId = "cocoon-ft-" + Guid.NewGuid().ToString("N")[..8];
            ClusterSilo Silo(string name, params string[] args)
            {
                var silo = new ClusterSilo(name, dll, root, cs, clusterId, args);
                silos.Add(silo);
                return silo;
            }
            var cores = Enumerable.Range(1, 3).Select(i => Silo($"core-{i}", "--Cocoon:Roles=core")).ToArray();
            var workerA = Worker("a");
            var workerB = Worker("b");
            ClusterSilo Worker(string n) => Silo($"worker-{n}",
                "--Cocoon:Roles=worker",
                $"--Cocoon:Nodes:0:Id=node-{n}",
                // appsettings.json's node lists cocoon-tiny second: overwrite it so only echo loads (no TorchSharp here).
                "--Cocoon:Nodes:0:Models:0=echo",
                "--Cocoon:Nodes:0:Models:1=echo",
                "--Cocoon:Nodes:0:MaxActive=2",
                "--Cocoon:Nodes:0:QueueLimit=16",
                $"--Cocoon:Nodes:0:OwnerAccount=operator-{n}",
                // 8 tokens at 8 per second: each job lasts about a second, so a kill finds jobs in flight.
                "--Cocoon:Echo:TokensPerJob=8",
                "--Cocoon:Echo:TokensPerSecond=8");

            var clock = Stopwatch.StartNew();
            // One after another: five silos JIT-compiling at once on a small CI machine miss membership probes, and
            // the 2 s probe timeout then (correctly) declares a joining silo dead.
            foreach (var silo in silos)
            {
                try
                {
                    await silo.StartAsync(ReadyWithin);
                }
                catch (InvalidOperationException e) when (!silo.IsRunning)
                {
                    output.WriteLine($"{silo.Name} died while joining, starting it again: {e.Message.Split('\n')[0]}");
                    await silo.StartAsync(ReadyWithin);
                }
            }
            output.WriteLine($"5 silos ready in {clock.Elapsed.TotalSeconds:0.0} s");

            await using var session = await CocoonClientSession.ConnectAsync(o =>
            {
                o.Gateways = [.. cores.Select(c => c.Gateway)];
                o.ClusterId = clusterId;
                o.Home = cores[0].Home;
            });
            var client = session.Client;
            await Until(async () => (await NodeIds(client)).SetEquals(["node-a", "node-b"]), "both echo nodes are listed");
            await Until(async () => (await client.GetBalanceAsync()).BalanceNano == Funding, "the dev account is funded");

            var load = new LoadDriver(client, Callers);
            var reports = new List<ScenarioReport>();
            // Outcomes are checked after every scenario has run, so that one failure still reports all of them.
            var problems = new List<string>();
            void Expect(bool condition, string problem)
            {
                if (!condition) problems.Add(problem);
            }
            async Task<ScenarioReport> Scenario(string name, Func<Task<(TimeSpan? Noticed, string By)>> fault)
            {
                using var stop = new CancellationTokenSource();
                var running = load.RunAsync(name, stop.Token);
                await Task.Delay(LoadBefore);
                var (noticed, by) = await fault();
                await Task.Delay(LoadAfter);
                stop.Cancel();
                await running;
                await load.ResolveAsync(name, NoticeWithin);
                var report = await Report(client, load, name, noticed, by);
                reports.Add(report);
                output.WriteLine(report.Row);
                var charged = (await client.GetEntriesAsync(limit: 10_000)).Where(e => e.Kind == LedgerEntryKind.Capture)
                    .GroupBy(e => e.ExternalId).ToDictionary(g => g.Key, g => g.Sum(e => Math.Abs(e.AmountNano)), StringComparer.Ordinal);
                foreach (var job in load.Jobs.Where(j => (j.Status?.CostNano ?? 0) != charged.GetValueOrDefault(j.Id)))
                    output.WriteLine($"    COST MISMATCH {job.Id}: job says {job.Status?.CostNano} ({job.Outcome} {job.Status?.Phase} {job.Error}), ledger captured {charged.GetValueOrDefault(job.Id)}");
                foreach (var job in load.Jobs.Where(j => j.Scenario == name && (j.Status?.Phase != JobPhase.Completed || j.Continuations.Count > 0)))
                    output.WriteLine($"    {job.Id}: {job.Outcome} {job.Status?.Phase} attempts={job.Status?.Attempts} {job.Status?.FailureCode} continued as [{string.Join(", ", job.Continuations)}] {job.Error}");
                Expect(report.LedgerExact, $"{name}: the ledger is not exact: {report.Row}");
                Expect(report.Unresolved == 0, $"{name}: {report.Unresolved} jobs have no final outcome: {report.Row}");
                // The client resubmits (same job id) when its gateway dies: every job the load sent reaches the network.
                Expect(report.NeverAdmitted == 0, $"{name}: {report.NeverAdmitted} jobs never reached the network: {report.Row}");
                return report;
            }

            var workerKill = await Scenario("kill -9 worker", async () =>
            {
                var killedAt = Stopwatch.StartNew();
                await workerA.KillAsync();
                await Until(async () => !(await NodeIds(client)).Contains("node-a"), "node-a leaves the candidate list");
                var gone = killedAt.Elapsed;
                await Until(async () => await MembershipStatus(cs, clusterId, workerA) == Dead, "worker-a is declared dead");
                return (gone, $"node out of candidates; declared dead after {killedAt.Elapsed.TotalSeconds:0.0} s");
            });
            // Its in-flight jobs were retried on the other worker: none failed.
            Expect(workerKill.Failed == 0, $"jobs failed when a worker died: {workerKill.Row}");

            await Scenario("kill -9 core", async () =>
            {
                var killedAt = Stopwatch.StartNew();
                await cores[1].KillAsync();
                await Until(async () => await MembershipStatus(cs, clusterId, cores[1]) == Dead, "core-2 is declared dead");
                return (killedAt.Elapsed, "declared dead in membership");
            });

            await Scenario("restart both", async () =>
            {
                var restartedAt = Stopwatch.StartNew();
                await workerA.StartAsync(ReadyWithin);
                await cores[1].StartAsync(ReadyWithin);
                await Until(async () => (await NodeIds(client)).Contains("node-a"), "node-a is listed again");
                var back = restartedAt.Elapsed;
                await Until(() => Task.FromResult(load.Jobs.Any(j => j.Scenario == "restart both" && j.NodeId == "node-a")),
                    "the restarted worker completes a job");
                return (back, "restarted node listed again");
            });
            Assert.Equal(Active, await MembershipStatus(cs, clusterId, cores[1]));

            var workerStop = await Scenario("SIGTERM worker", async () =>
            {
                var stoppedAt = Stopwatch.StartNew();
                var exit = await workerB.TerminateAsync(NoticeWithin);
                Assert.True(exit == 0, $"worker-b exited with {exit}:{Environment.NewLine}{workerB.OutputTail}");
                Assert.Equal(Dead, await MembershipStatus(cs, clusterId, workerB));
                await Until(async () => !(await NodeIds(client)).Contains("node-b"), "node-b leaves the candidate list");
                return (stoppedAt.Elapsed, "drained, left membership and candidates");
            });
            Expect(workerStop.Failed == 0, $"jobs failed when a worker stopped gracefully: {workerStop.Row}");

            // A core silo stopping gracefully finishes the jobs it runs before it leaves; their callers re-attach by job id.
            var coreStop = await Scenario("SIGTERM core", async () =>
            {
                var stoppedAt = Stopwatch.StartNew();
                var exit = await cores[2].TerminateAsync(NoticeWithin);
                Assert.True(exit == 0, $"core-3 exited with {exit}:{Environment.NewLine}{cores[2].OutputTail}");
                Assert.Equal(Dead, await MembershipStatus(cs, clusterId, cores[2]));
                return (stoppedAt.Elapsed, "drained and left membership");
            });
            Expect(coreStop.Failed == 0, $"jobs failed when a core silo stopped gracefully: {coreStop.Row}");

            output.WriteLine("");
            output.WriteLine(ScenarioReport.Header);
            foreach (var r in reports) output.WriteLine(r.Row);
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
        finally
        {
            foreach (var silo in silos)
            {
                if (silo.IsRunning) output.WriteLine($"--- {silo.Name} (last lines)\n{silo.OutputTail}");
                await silo.DisposeAsync();
            }
            await postgres.DisposeAsync();
            // COCOON_KEEP_CLUSTER_LOGS=1 keeps every silo's home and silo.log for reading after the run.
            if (Environment.GetEnvironmentVariable("COCOON_KEEP_CLUSTER_LOGS") == "1") output.WriteLine($"silo logs kept under {root}");
            else try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }

    private const int Active = ClusterMembership.Active;
    private const int Dead = ClusterMembership.Dead;

    private static Task<int?> MembershipStatus(string connectionString, string clusterId, ClusterSilo silo) =>
        ClusterMembership.StatusAsync(connectionString, clusterId, silo.SiloPort);

    private static async Task<HashSet<string>> NodeIds(ICocoonClient client) =>
        (await client.ListNodesAsync("echo")).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);

    private static async Task<ScenarioReport> Report(ICocoonClient client, LoadDriver load, string scenario, TimeSpan? noticed, string by)
    {
        var jobs = load.Jobs.Where(j => j.Scenario == scenario).ToList();
        var balance = await client.GetBalanceAsync();
        // The wallet is the source of truth: each job is captured at most once, and only jobs the load sent.
        var captures = (await client.GetEntriesAsync(limit: 10_000)).Where(e => e.Kind == LedgerEntryKind.Capture).ToList();
        var captured = captures.Sum(e => Math.Abs(e.AmountNano));
        var sent = load.Jobs.SelectMany(j => j.Continuations.Prepend(j.Id)).ToHashSet(StringComparer.Ordinal);
        var once = captures.GroupBy(e => e.ExternalId).All(g => g.Count() == 1 && sent.Contains(g.Key));
        var byJob = captures.ToDictionary(e => e.ExternalId, e => Math.Abs(e.AmountNano), StringComparer.Ordinal);
        var neverAdmitted = jobs.Count(j => j.NotFound);
        return new ScenarioReport(
            scenario,
            Sent: jobs.Count,
            Completed: jobs.Count(j => j.Completed),
            Retried: jobs.Count(j => j.Status?.Attempts > 1),
            Continued: jobs.Count(j => j.Continuations.Count > 0),
            Failed: jobs.Count(j => !j.Completed && (j.Outcome == JobOutcome.Failed || j.Status?.Phase == JobPhase.Failed)),
            NeverAdmitted: neverAdmitted,
            Unresolved: jobs.Count(j => j.Status?.Phase is not (JobPhase.Completed or JobPhase.Failed)) - neverAdmitted,
            InterruptedCalls: jobs.Count(j => j.Outcome == JobOutcome.Interrupted),
            CostMismatches: load.Jobs.Count(j => (j.Status?.CostNano ?? 0) != byJob.GetValueOrDefault(j.Id)),
            noticed,
            by,
            balance.BalanceNano,
            captured,
            balance.ReservedNano,
            LedgerExact: balance.BalanceNano + captured == Funding && once && (balance.ReservedNano == 0 || neverAdmitted > 0));
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + NoticeWithin;
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
            if (DateTime.UtcNow >= until) throw new TimeoutException($"Not within {NoticeWithin.TotalSeconds:0} s: {what}.");
            await Task.Delay(200);
        }
    }
}
