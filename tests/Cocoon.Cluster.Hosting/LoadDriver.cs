using System.Collections.Concurrent;
using System.Diagnostics;
using Cocoon.Client;
using Cocoon.Jobs;

namespace Cocoon.Cluster.Hosting;

/// <summary>
/// A steady load of echo jobs through the client: a fixed number of callers, each submitting its next job as soon as
/// the previous one ends. Every job is recorded under the scenario running when it was sent; a call the cluster
/// interrupts (its gateway died) is recorded as such and its outcome is read back from the job grain later.
/// </summary>
public sealed class LoadDriver(ICocoonClient client, int callers, int maxTokens = 8)
{
    private readonly ConcurrentQueue<JobRecord> _jobs = new();
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    public IReadOnlyCollection<JobRecord> Jobs => _jobs;

    /// <summary>Runs the load under <paramref name="scenario"/> until <paramref name="stop"/>, then waits for the jobs in flight.</summary>
    public async Task RunAsync(string scenario, CancellationToken stop)
    {
        // Job ids allow A-Z a-z 0-9 . _ - only: the scenario's name becomes a slug.
        var slug = new string(scenario.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        var loops = Enumerable.Range(0, callers).Select(_ => Task.Run(() => Loop(scenario, slug, stop), CancellationToken.None));
        await Task.WhenAll(loops);
    }

    private async Task Loop(string scenario, string slug, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var id = $"ft-{_run}-{slug}-{Interlocked.Increment(ref _sequence)}";
            var job = new JobRecord(id, scenario);
            _jobs.Enqueue(job);
            var clock = Stopwatch.StartNew();
            try
            {
                // Not cancelled by stop: a job once sent runs to its end, so the ledger can be checked exactly.
                var done = await client.CompleteAsync(new CocoonJobRequest
                {
                    Prompt = "fault tolerance",
                    Model = "echo",
                    MaxTokens = maxTokens,
                    JobId = id,
                    Timeout = TimeSpan.FromSeconds(60),
                });
                job.Outcome = JobOutcome.Completed;
                job.NodeId = done.NodeId;
                job.Continuations = done.Continuations;
            }
            catch (JobFailedException e)
            {
                job.Outcome = JobOutcome.Failed;
                job.Error = $"{e.Code}: {e.Message}";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The call broke (its gateway or the job's silo died): the job's own record decides its outcome.
                job.Outcome = JobOutcome.Interrupted;
                job.Error = $"{e.GetType().Name}: {e.Message}";
                await Task.Delay(200, CancellationToken.None);
            }
            job.Elapsed = clock.Elapsed;
            job.EndedAt = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>
    /// Reads every job of the scenario back from the network (which also reactivates, and so settles, jobs whose
    /// core silo died) until each has a final phase, or the deadline passes.
    /// </summary>
    public async Task ResolveAsync(string scenario, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        foreach (var job in _jobs.Where(j => j.Scenario == scenario))
        {
            while (true)
            {
                try
                {
                    job.Status = await client.GetJobAsync(job.Id);
                    if (job.Status.Phase is JobPhase.Completed or JobPhase.Failed) break;
                }
                catch (JobNotFoundException e)
                {
                    // A job the network has no record of: its silo died before it was admitted.
                    job.NotFound = true;
                    job.Error ??= $"{e.Code}: {e.Message}";
                    break;
                }
                catch (Exception e) when (e is not OutOfMemoryException && DateTime.UtcNow < until)
                {
                    // The job's core silo may still be being declared dead: ask again.
                    job.Error ??= $"{e.GetType().Name}: {e.Message}";
                }
                if (DateTime.UtcNow >= until) break;
                await Task.Delay(200);
            }
        }
    }
}

public enum JobOutcome { Sent, Completed, Failed, Interrupted }

/// <summary>One job the load sent: what the caller saw, and what the network recorded.</summary>
public sealed class JobRecord(string id, string scenario)
{
    public string Id { get; } = id;
    public string Scenario { get; } = scenario;
    public JobOutcome Outcome { get; set; }
    public string? NodeId { get; set; }
    public string? Error { get; set; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>Jobs the client ran to continue this one after its node or core silo died mid-run.</summary>
    public IReadOnlyList<string> Continuations { get; set; } = [];
    /// <summary>The caller had a completion: from the job itself, or through its continuations.</summary>
    public bool Completed => Outcome == JobOutcome.Completed || (Outcome == JobOutcome.Interrupted && Status?.Phase == JobPhase.Completed);
    /// <summary>When the caller had the job's outcome.</summary>
    public DateTimeOffset EndedAt { get; set; }
    public JobStatus? Status { get; set; }
    /// <summary>The network has no record of the job: the call broke before the job was admitted.</summary>
    public bool NotFound { get; set; }
}
