using System.Collections.Concurrent;
using System.Diagnostics;
using Cocoon.Benchmarks.Load;
using Cocoon.Benchmarks.Scenarios.Senders;
using Cocoon.Nodes;

namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// Cocoon's load scenarios (issue 9). Each runs against <c>--gateway HOST:PORT</c> when given, else against a silo
/// process it starts for the run (see <see cref="CocoonTarget"/>). <c>--target</c> picks how the jobs are sent
/// (<see cref="JobSenders"/>): through <c>ICocoonClient</c> (step <c>cocoon</c>) or the OpenAI-compatible endpoint
/// hosted in this process (step <c>cocoon-http</c>). Their extra figures (routing overhead, knee, CPU per
/// job, failover) are written to the run's log after the load, next to the harness's reports.
/// </summary>
internal static class CocoonScenarios
{
    private const string Echo = "echo";
    private const string Tiny = "cocoon-tiny";
    private const string Prompt = "The quick brown fox jumps over the lazy dog.";

    public static ScenarioCatalog Register(ScenarioCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Register("routing-overhead", "echo jobs through the --target (ICocoonClient or the HTTP endpoint) vs the same echo on the node grain directly (baseline): the network's overhead. 200/s", RoutingOverhead);
        catalog.Register("tiny-throughput", "cocoon-tiny jobs through the --target, 4 copies back to back: jobs/s and tokens/s", TinyThroughput);
        catalog.Register("ramp", "echo jobs, RampingInject from 0 to `peak` (3000)/s: finds the knee", Ramp);
        catalog.Register("spike", "echo jobs at `base` (100)/s with a `spike` (1500)/s burst in the middle", Spike);
        catalog.Register("soak-failover", "echo jobs at 100/s on two nodes; one leaves a third of the way in: the failover in the report", SoakFailover);
        return catalog;
    }

    /// <summary>One job through the sender, as a step named after the target; an HTTP error counts under its status code.</summary>
    private static Task<Response<SentJob>> SendStep(IScenarioContext context, IJobSender sender, string model, int maxTokens) =>
        Step.Run(sender.StepName, context, async () =>
        {
            try
            {
                var job = await sender.SendAsync(model, Prompt, maxTokens, context.ScenarioCancellationToken);
                return Response.Ok(job, statusCode: "ok", sizeBytes: job.Text.Length);
            }
            catch (JobSendException e)
            {
                return Response.Fail<SentJob>(e.Status, e.Message);
            }
        });

    /// <summary>
    /// Runs <paramref name="job"/> <paramref name="rate"/> times a second for <paramref name="during"/> (open model, not
    /// measured) and waits for the last one. Returns how many succeeded; a failure fails the run, as the system is
    /// not fit to measure.
    /// </summary>
    private static async Task<int> SettleAsync(int rate, TimeSpan during, Func<CancellationToken, Task> job, CancellationToken cancellationToken)
    {
        if (rate < 1)
        {
            throw new LoadConfigException($"Setting 'settleRate={rate}' must be at least 1.");
        }

        var total = (int)(rate * during.TotalSeconds);
        var running = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            running.Add(job(cancellationToken));
        }

        await Task.WhenAll(running);
        return running.Count;
    }

    /// <summary>Starts the target and the sender <c>--target</c> asks for.</summary>
    private static async Task<(CocoonTarget Target, IJobSender Sender)> StartAsync(
        LoadOptions options, string model, int nodes, IScenarioInitContext init)
    {
        var target = await CocoonTarget.StartAsync(options, [model], nodes, model, init.Log, init.CancellationToken);
        try
        {
            return (target, await JobSenders.CreateAsync(options.Target, target.Client, init.Log, init.CancellationToken));
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the sender (and its endpoint) before the target whose client it uses.</summary>
    private static async Task StopAsync(IJobSender? sender, CocoonTarget target)
    {
        if (sender is not null)
        {
            await sender.DisposeAsync();
        }

        await target.DisposeAsync();
    }

    private static ScenarioProps RoutingOverhead(LoadOptions options)
    {
        var duration = options.DurationOr(TimeSpan.FromSeconds(20));
        var warmUp = options.WarmUp ?? TimeSpan.FromSeconds(3);
        var maxTokens = options.GetInt("tokens", 8);
        // "cocoon" or "baseline" alone measure one path's CPU per job; "both" (the default) measures the overhead;
        // "floor" is the cheapest round trip the client can make (the registry's parameters): what Orleans itself costs here.
        var steps = options.GetString("steps", "both");
        if (steps is not ("both" or "cocoon" or "baseline" or "floor"))
        {
            throw new LoadConfigException($"Setting 'steps={steps}' is unknown: use both, cocoon, baseline or floor.");
        }

        // One job in baselineEvery also runs the baseline call: enough samples for its percentiles, without offering the
        // silo a second call per job (at baselineEvery=1 a run "at 1,000 jobs/s" asks for 2,000 calls a second).
        var baselineEvery = options.GetInt("baselineEvery", 5);
        if (baselineEvery < 1)
        {
            throw new LoadConfigException($"Setting 'baselineEvery={baselineEvery}' must be at least 1.");
        }

        // A silo compiles its hot paths in its first half minute or so (a fifth of its CPU goes to the JIT meanwhile,
        // docs/benchmarks.md). The init hook first runs jobs at a low rate for `settle` seconds, so that the warm-up and
        // the measured run see the steady state, not a compiler backlog. settle=0 skips it.
        var settle = TimeSpan.FromSeconds(options.GetInt("settle", 20));
        var settleRate = options.GetInt("settleRate", 50);

        CocoonTarget? target = null;
        IJobSender? sender = null;
        string nodeId = "";
        var client = new LatencySample();
        var baseline = new LatencySample();
        var measuredFrom = 0L;

        return Scenario.Create("routing-overhead", async context =>
            {
                var t = target!;
                var ct = context.ScenarioCancellationToken;
                var measured = Stopwatch.GetTimestamp() >= Interlocked.Read(ref measuredFrom);

                // Alternate which call goes first so that neither always runs on a warmer path.
                async Task<IResponse> ViaNetwork()
                {
                    var started = Stopwatch.GetTimestamp();
                    var step = await SendStep(context, sender!, Echo, maxTokens);
                    if (!step.IsError && measured)
                    {
                        client.Add(Stopwatch.GetElapsedTime(started));
                    }

                    t.CountJob();
                    return step;
                }

                async Task<IResponse> Baseline()
                {
                    var started = Stopwatch.GetTimestamp();
                    var step = await Step.Run("baseline", context, async () =>
                    {
                        var events = await t.ExecuteOnNodeAsync(nodeId, Prompt, maxTokens, ct);
                        return Response.Ok(statusCode: "ok", sizeBytes: events);
                    });
                    if (!step.IsError && measured)
                    {
                        baseline.Add(Stopwatch.GetElapsedTime(started));
                    }

                    if (steps == "baseline")
                    {
                        t.CountJob();
                    }

                    return step;
                }

                async Task<IResponse> Floor()
                {
                    var started = Stopwatch.GetTimestamp();
                    var step = await Step.Run("floor", context, async () =>
                    {
                        await t.PingAsync();
                        return Response.Ok(statusCode: "ok");
                    });
                    if (!step.IsError && measured)
                    {
                        baseline.Add(Stopwatch.GetElapsedTime(started));
                    }

                    t.CountJob();
                    return step;
                }

                if (steps != "both")
                {
                    return steps switch { "cocoon" => await ViaNetwork(), "floor" => await Floor(), _ => await Baseline() };
                }

                if (context.InvocationNumber % baselineEvery != 0)
                {
                    return await ViaNetwork();
                }

                IResponse first, second;
                if (context.InvocationNumber / baselineEvery % 2 == 0)
                {
                    (first, second) = (await ViaNetwork(), await Baseline());
                }
                else
                {
                    (first, second) = (await Baseline(), await ViaNetwork());
                }

                return first.IsError ? first : second;
            })
            .WithInit(async init =>
            {
                (target, sender) = await StartAsync(options, Echo, 1, init);
                nodeId = options.GetString("node", "");
                if (nodeId.Length == 0)
                {
                    var nodes = await target.Client.ListNodesAsync(Echo, init.CancellationToken);
                    nodeId = nodes.Count > 0 ? nodes[0].Id : throw new InvalidOperationException("No node serves echo: the baseline needs one.");
                }

                if (settle > TimeSpan.Zero)
                {
                    var t = target;
                    var settled = await SettleAsync(settleRate, settle, async ct =>
                    {
                        await sender.SendAsync(Echo, Prompt, maxTokens, ct);
                        t.CountJob();
                        if (steps != "cocoon")
                        {
                            await t.ExecuteOnNodeAsync(nodeId, Prompt, maxTokens, ct);
                        }
                    }, init.CancellationToken);
                    init.Log.WriteLine($"settled: {settled} jobs in {settle.TotalSeconds:0} s at {settleRate} jobs/s before the warm-up (not measured)");
                }

                Interlocked.Exchange(ref measuredFrom, Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency));
                target.MarkCpuAfter(warmUp);
            })
            .WithClean(async init =>
            {
                if (target is null)
                {
                    return;
                }

                if (steps != "both")
                {
                    var only = steps == "cocoon" ? client : baseline; // the floor records into the baseline's sample
                    init.Log.WriteLine($"{steps} step only ({only.Count} measured jobs, node {nodeId}): p50 {only.PercentileMicros(50) / 1000:0.000} ms, " +
                        $"p90 {only.PercentileMicros(90) / 1000:0.000} ms, p99 {only.PercentileMicros(99) / 1000:0.000} ms");
                    init.Log.WriteLine(await target.CpuReportAsync());
                    await StopAsync(sender, target);
                    return;
                }

                init.Log.WriteLine($"routing overhead ({sender?.StepName} step minus baseline step, same run, {client.Count} vs {baseline.Count} measured jobs, node {nodeId}):");
                foreach (var p in new[] { 50.0, 90, 99 })
                {
                    var c = client.PercentileMicros(p);
                    var b = baseline.PercentileMicros(p);
                    init.Log.WriteLine($"  p{p:0}: {sender?.StepName} {c / 1000:0.000} ms, baseline {b / 1000:0.000} ms, overhead {(c - b) / 1000:0.000} ms");
                }

                init.Log.WriteLine(await target.CpuReportAsync() +
                    (baselineEvery == 1 ? " (each job also ran one baseline call)" : $" (one job in {baselineEvery} also ran a baseline call)"));
                await StopAsync(sender, target);
            })
            .WithWarmUpDuration(warmUp)
            .WithLoadSimulations(Simulation.Inject(options.GetInt("rate", 200), TimeSpan.FromSeconds(1), duration))
            .WithThresholds(Threshold.Parse("fail percent < 1"));
    }

    private static ScenarioProps TinyThroughput(LoadOptions options)
    {
        var maxTokens = options.GetInt("tokens", 16);
        CocoonTarget? target = null;
        IJobSender? sender = null;
        long tokens = 0;
        return Scenario.Create("tiny-throughput", async context =>
            {
                var step = await SendStep(context, sender!, Tiny, maxTokens);
                if (!step.IsError)
                {
                    target!.CountJob();
                    Interlocked.Add(ref tokens, step.Payload!.CompletionTokens);
                }

                return step;
            })
            .WithInit(async init =>
            {
                (target, sender) = await StartAsync(options, Tiny, 1, init);
                target.MarkCpuAfter(options.WarmUp ?? TimeSpan.FromSeconds(3));
            })
            .WithClean(async init =>
            {
                if (target is null)
                {
                    return;
                }

                init.Log.WriteLine($"cocoon-tiny: {target.Jobs} jobs, {Interlocked.Read(ref tokens)} completion tokens ({maxTokens} max per job)");
                init.Log.WriteLine(await target.CpuReportAsync());
                await StopAsync(sender, target);
            })
            .WithWarmUpDuration(options.WarmUp ?? TimeSpan.FromSeconds(3))
            .WithLoadSimulations(Simulation.KeepConstant(options.GetInt("copies", 4), options.DurationOr(TimeSpan.FromSeconds(20))))
            .WithThresholds(Threshold.Parse("fail percent < 1"));
    }

    private static ScenarioProps Ramp(LoadOptions options)
    {
        var duration = options.DurationOr(TimeSpan.FromSeconds(30));
        var peak = options.GetInt("peak", 3000);
        // A silo's first half minute compiles its hot paths (a fifth of its CPU goes to the JIT): the ramp starts after
        // a settling phase at a low rate, whose jobs run but do not count towards the knee. settle=0 ramps at once.
        var settle = TimeSpan.FromSeconds(options.GetInt("settle", 20));
        var settleRate = options.GetInt("settleRate", 50);
        CocoonTarget? target = null;
        IJobSender? sender = null;
        var knee = new KneeTracker();
        var saturated = 0;
        var firstDueTicks = long.MinValue;
        Timer? watcher = null;
        return Scenario.Create("ramp", async context =>
            {
                var t = target!;
                var due = ((ScenarioContext)context).DueAt;
                Interlocked.CompareExchange(ref firstDueTicks, due.Ticks, long.MinValue);
                var settling = due.Ticks < Interlocked.Read(ref firstDueTicks) + settle.Ticks;

                // Past the knee every new job only lengthens the queue: skip it so the run ends on time.
                if (Volatile.Read(ref saturated) == 1)
                {
                    return Response.Fail("past-knee", "skipped: the ramp was already saturated");
                }

                // The step turns a failed job into an error response (it rethrows only the run's own cancellation).
                var step = await SendStep(context, sender!, Echo, 8);
                if (!step.IsError)
                {
                    t.CountJob();
                }

                if (!settling)
                {
                    knee.Record(due, context.Elapsed, ok: !step.IsError);
                }

                return step;
            })
            .WithInit(async init =>
            {
                (target, sender) = await StartAsync(options, Echo, 1, init);
                target.MarkCpuAfter(settle);
                watcher = new Timer(_ =>
                {
                    if (knee.Analyze().KneeSecond is not null)
                    {
                        Volatile.Write(ref saturated, 1);
                    }
                }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            })
            .WithClean(async init =>
            {
                if (watcher is not null)
                {
                    await watcher.DisposeAsync();
                }

                if (target is null)
                {
                    return;
                }

                var result = knee.Analyze();
                // The ramp is linear from the settling rate (or zero), so the rate injected at the knee's second follows from its index.
                var from = settle > TimeSpan.Zero ? settleRate : 0;
                var kneeRate = (result.KneeSecond ?? result.UnconfirmedKneeSecond) is { } s ? $"; injected rate there {from + (peak - from) * (s + 0.5) / duration.TotalSeconds:0} jobs/s" : "";
                var settled = settle > TimeSpan.Zero ? $" after {settle.TotalSeconds:0} s at {settleRate} jobs/s" : "";
                init.Log.WriteLine($"ramp {from} -> {peak} jobs/s over {duration.TotalSeconds:0} s{settled}; {result}{kneeRate}");
                init.Log.WriteLine(await target.CpuReportAsync());
                await StopAsync(sender, target);
            })
            .WithoutWarmUp()
            .WithDrainTimeout(TimeSpan.FromSeconds(15))
            .WithLoadSimulations(settle > TimeSpan.Zero
                ? [Simulation.Inject(settleRate, TimeSpan.FromSeconds(1), settle), Simulation.RampingInject(peak, TimeSpan.FromSeconds(1), duration)]
                : [Simulation.RampingInject(peak, TimeSpan.FromSeconds(1), duration)]);
    }

    private static ScenarioProps Spike(LoadOptions options)
    {
        var baseRate = options.GetInt("base", 100);
        var spikeRate = options.GetInt("spike", 1500);
        var during = options.DurationOr(TimeSpan.FromSeconds(25));
        var calm = during * 0.4;
        CocoonTarget? target = null;
        IJobSender? sender = null;
        return Scenario.Create("spike", async context =>
            {
                var step = await SendStep(context, sender!, Echo, 8);
                if (!step.IsError)
                {
                    target!.CountJob();
                }

                return step;
            })
            .WithInit(async init =>
            {
                (target, sender) = await StartAsync(options, Echo, 1, init);
                target.MarkCpuAfter(options.WarmUp ?? TimeSpan.FromSeconds(2));
            })
            .WithClean(async init =>
            {
                if (target is null)
                {
                    return;
                }

                init.Log.WriteLine($"spike: {baseRate}/s for {calm.TotalSeconds:0.#} s, {spikeRate}/s for {(during - 2 * calm).TotalSeconds:0.#} s, {baseRate}/s for {calm.TotalSeconds:0.#} s (per-second latency in report-timeseries.csv)");
                init.Log.WriteLine(await target.CpuReportAsync());
                await StopAsync(sender, target);
            })
            .WithWarmUpDuration(options.WarmUp ?? TimeSpan.FromSeconds(2))
            .WithLoadSimulations(
                Simulation.Inject(baseRate, TimeSpan.FromSeconds(1), calm),
                Simulation.Inject(spikeRate, TimeSpan.FromSeconds(1), during - 2 * calm),
                Simulation.Inject(baseRate, TimeSpan.FromSeconds(1), calm))
            .WithThresholds(Threshold.Parse("fail percent < 1"));
    }

    private static ScenarioProps SoakFailover(LoadOptions options)
    {
        var duration = options.DurationOr(TimeSpan.FromSeconds(30));
        var leaveAt = options.GetDuration("leaveAt", duration / 3);
        var killPid = options.GetInt("killPid", 0);
        CocoonTarget? target = null;
        IJobSender? sender = null;
        var before = new ConcurrentDictionary<string, int>();
        var after = new ConcurrentDictionary<string, int>();
        var left = 0;
        var leaveNote = "";
        Task? leaving = null;
        var warmUp = options.WarmUp ?? TimeSpan.FromSeconds(2);
        return Scenario.Create("soak-failover", async context =>
            {
                var step = await SendStep(context, sender!, Echo, 8);
                if (!step.IsError)
                {
                    target!.CountJob();
                    // The HTTP endpoint does not name the node: those jobs count under "?".
                    (Volatile.Read(ref left) == 1 ? after : before).AddOrUpdate(step.Payload!.NodeId ?? "?", 1, (_, n) => n + 1);
                }

                return step;
            })
            .WithInit(async init =>
            {
                (target, sender) = await StartAsync(options, Echo, 2, init);
                target.MarkCpuAfter(warmUp);
                var t = target;
                leaving = Task.Run(async () =>
                {
                    await Task.Delay(warmUp + leaveAt);
                    if (killPid > 0)
                    {
                        // A worker silo of the cluster at --gateway, named by the operator: a crash, not a drain.
                        using var victim = Process.GetProcessById(killPid);
                        victim.Kill(entireProcessTree: true);
                        leaveNote = $"killed worker process {killPid} at {leaveAt.TotalSeconds:0.#} s";
                    }
                    else
                    {
                        // One silo process cannot lose half of itself: the second node leaves by draining (it stops taking jobs).
                        var nodes = await t.Client.ListNodesAsync(Echo);
                        var leaver = nodes.Select(n => n.Id).Order(StringComparer.Ordinal).Last();
                        await t.Grains.GetGrain<INodeGrain>(leaver).Drain(TimeSpan.FromSeconds(5));
                        leaveNote = $"drained node {leaver} at {leaveAt.TotalSeconds:0.#} s";
                    }

                    Volatile.Write(ref left, 1);
                });
            })
            .WithClean(async init =>
            {
                if (leaving is not null)
                {
                    try
                    {
                        await leaving.WaitAsync(TimeSpan.FromSeconds(10));
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        init.Log.WriteLine($"failover: the node did not leave: {e.GetType().Name}: {e.Message}");
                    }
                }

                if (target is null)
                {
                    return;
                }

                static string Counts(ConcurrentDictionary<string, int> c) =>
                    c.IsEmpty ? "none" : string.Join(", ", c.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
                init.Log.WriteLine($"failover: {(leaveNote.Length > 0 ? leaveNote : "nothing left")}; jobs per node before: {Counts(before)}; after: {Counts(after)} (failures per second in report-timeseries.csv)");
                init.Log.WriteLine(await target.CpuReportAsync());
                await StopAsync(sender, target);
            })
            .WithWarmUpDuration(warmUp)
            .WithLoadSimulations(Simulation.Inject(options.GetInt("rate", 100), TimeSpan.FromSeconds(1), duration))
            .WithThresholds(Threshold.Parse("fail percent < 1"));
    }
}
