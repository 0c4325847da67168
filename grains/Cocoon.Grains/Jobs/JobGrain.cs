using System.Runtime.CompilerServices;
using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Registry;
using Cocoon.Grains.Routing;
using Cocoon.Grains.Security;
using Cocoon.Grains.Telemetry;
using Cocoon.Grains.Wallets;
using Cocoon.Hosting;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Routing;
using Cocoon.Security;
using Cocoon.Wallets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Jobs;

/// <summary>
/// One job: admits it (validates public metadata, reserves its maximum cost), routes it to the best node, retries
/// elsewhere on failure before the first token, streams its events, and settles exactly once from the node's last
/// usage receipt. Reentrant so that a second caller can attach while the job runs.
/// </summary>
[CoreSilosOnly, Reentrant, CollectionAgeLimit(Minutes = 2)]
public sealed class JobGrain(
    [PersistentState("job", CocoonStorage.Name)] IPersistentState<JobState> state,
    CandidateCache candidates,
    NetworkParametersCache registry,
    CircuitBreakers breakers,
    IReceiptVerifier receipts,
    RequestVerifier requests,
    TimeProvider time,
    IOptions<JobOptions> options,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private JobRun? _run;
    private ReplayCache? _replays;
    private Task _execution = Task.CompletedTask;
    /// <summary>This activation ran the job to its end: it answers from memory while (or if) its row is not written.</summary>
    private bool _ended;
    private string JobId => _jobId ??= this.GetPrimaryKeyString(); // parsed from the grain id on each call otherwise
    private string? _jobId;
    /// <summary>No settlement call of this job went out before this (saved before the first): wallets judge late repeats by it.</summary>
    private DateTimeOffset SettlementIssuedAt => S.EndedAt ?? S.CreatedAt;
    private JobState S => state.State;
    private JobOptions O => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return;
        if (S.Phase == JobPhase.Running)
        {
            // The silo that ran this job died mid-run: nothing is streaming it any more. Bill what the last receipt covers.
            logger.LogWarning("Job {JobId} was running when its silo stopped; failing it and settling its last receipt", JobId);
            await Finish(new JobFailed(JobFailureCodes.NodeFailed, "The core silo running the job stopped; resubmit to continue.", 0, 0));
        }
        else if (!S.Settled)
        {
            await Settle();
        }
        else if (time.GetUtcNow() - S.CreatedAt > O.Retention)
        {
            await state.ClearStateAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Its silo is stopping (or the grain is moving): finish and settle the running job here first. Its callers'
        // enumerations end with the activation; the client re-attaches by job id and replays the stored output.
        if (_run is not null)
        {
            logger.LogInformation("Job {JobId} is deactivating ({Reason}) while it runs; finishing it first", JobId, reason.ReasonCode);
            try { await _execution.WaitAsync(cancellationToken); }
            catch (OperationCanceledException) { logger.LogWarning("Job {JobId} did not finish before its activation had to go", JobId); }
        }
    }

    public IAsyncEnumerable<JobEvent> Run(JobRequest request, CancellationToken cancellationToken = default) =>
        Run(request, whole: false, cancellationToken);

    private async IAsyncEnumerable<JobEvent> Run(JobRequest request, bool whole, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(JobId))
            throw new InvalidJobException("job_id", $"'{JobId}' is not a valid job id: use 1 to 128 characters of A-Z a-z 0-9 . _ -");
        if (request?.Metadata is null || request.Payload is null)
            throw new InvalidJobException(request?.Metadata is null ? "metadata" : "payload", "The job has no metadata or no payload.");
        // One signature verification per call; the job id is signed, so a request cannot be replayed on another job.
        requests.Verify(request.Signature, RequestOperations.JobRun, RequestContent.JobRun(JobId, request.Metadata, request.Payload), request.AccountId,
            _replays ??= requests.NewReplayCache());
        var starts = _run is null && !state.RecordExists && !_ended;
        if (!starts) requests.SiloLimiter.Take(request.AccountId); // a start is limited by the account's wallet (Reserve)
        if (starts)
        {
            // Claim the job before the first await, so a concurrent Run with the same id attaches instead of starting it again.
            var run = _run = new JobRun(request.AccountId) { Whole = whole };
            try
            {
                await Admit(request, whole);
            }
            catch (Exception e)
            {
                _run = null;
                run.Fail(e);
                throw;
            }
            _execution = Execute(run, request); // runs on this grain's scheduler; callers read its log
        }
        else if ((_run?.AccountId ?? S.AccountId) != request.AccountId)
        {
            throw new JobAccessDeniedException(JobId);
        }
        await foreach (var e in Attach(cancellationToken))
            yield return e;
    }

    public async Task<JobEvent[]> Complete(JobRequest request, CancellationToken cancellationToken = default)
        => await Run(request, whole: true, cancellationToken).ToArrayAsync(cancellationToken);

    public Task Cancel(SignedRequest request)
    {
        requests.Verify(request, RequestOperations.JobCancel, RequestContent.Job(JobId), _replays ??= requests.NewReplayCache());
        requests.SiloLimiter.Take(request.AccountId);
        var accountId = request.AccountId;
        if (!state.RecordExists && _run is null) return Task.CompletedTask;
        if ((_run?.AccountId ?? S.AccountId) != accountId) throw new JobAccessDeniedException(JobId);
        _run?.Cancellation.Cancel();
        return Task.CompletedTask;
    }

    public Task<JobStatus> GetStatus(SignedRequest request)
    {
        requests.Verify(request, RequestOperations.JobStatus, RequestContent.Job(JobId), _replays ??= requests.NewReplayCache());
        requests.SiloLimiter.Take(request.AccountId);
        var accountId = request.AccountId;
        if (!state.RecordExists && _run is null && !_ended) // a whole job is in memory only until it ends
            return Task.FromResult(new JobStatus(JobId, JobPhase.Unknown, "", null, 0, 0, 0, default, null));
        if ((_run?.AccountId ?? S.AccountId) != accountId) throw new JobAccessDeniedException(JobId);
        return Task.FromResult(new JobStatus(JobId, S.Phase, S.Metadata?.Model ?? "", S.NodeId, S.Attempts,
            S.LastReceipt?.CompletionTokens ?? 0, S.CostNano, S.CreatedAt, S.FailureCode));
    }

    private async IAsyncEnumerable<JobEvent> Attach([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_run is { } run)
        {
            // The latest caller owns the job: its cancellation (or disconnect) cancels it. A client whose connection
            // broke re-attaches, and its stale enumeration, cancelled when it expires, must not cancel the job.
            var turn = Interlocked.Increment(ref run.Attaches);
            using var link = cancellationToken.Register(() => { if (Volatile.Read(ref run.Attaches) == turn) run.Cancellation.Cancel(); });
            await foreach (var e in run.Read(cancellationToken))
                yield return e;
            yield break;
        }
        foreach (var e in S.Output) yield return e;
        if (S.Final is not null) yield return S.Final;
    }

    /// <summary>
    /// Checks the request and reserves its maximum cost. A streamed job is saved as running before its node is asked, so
    /// a silo that dies under it leaves a row the next activation fails and settles. A whole job (one call, nothing
    /// streamed) is first saved after its caller has the answer (see <see cref="Execute"/>). If its silo dies before
    /// it settles, no row says it started; its reservation, keyed by the job id, is held until it expires, and the
    /// caller's retry with the same id reserves nothing more and runs it again. A whole job's reservation does not wait
    /// for its commit (<see cref="ReservationAdmission.DeferCommit"/>): the settlement's commit covers it.
    /// </summary>
    private async Task Admit(JobRequest request, bool whole)
    {
        var md = request.Metadata ?? throw new InvalidJobException("metadata", "The job has no metadata.");
        if (!Accounts.IsValid(request.AccountId) || Accounts.IsSystem(request.AccountId))
            throw new InvalidJobException("account", $"'{request.AccountId}' is not a valid client account id.");
        var prices = await registry.Get();
        requests.Limits.Observe(prices);
        if (string.IsNullOrWhiteSpace(md.Model) || !prices.AllowedModels.Contains(md.Model))
            throw new UnknownModelException(md.Model ?? "", prices.AllowedModels);
        if (md.MaxTokens <= 0 || md.MaxTokens > prices.MaxTokensLimit)
            throw new InvalidJobException("max_tokens", $"max_tokens must be between 1 and {prices.MaxTokensLimit}, got {md.MaxTokens}.");
        if (md.MaxPromptTokens <= 0 || md.MaxPromptTokens > prices.MaxPromptTokensLimit)
            throw new InvalidJobException("max_prompt_tokens",
                $"max_prompt_tokens must be between 1 and {prices.MaxPromptTokensLimit}, got {md.MaxPromptTokens}: an empty prompt cannot run.");
        if (md.MaxCoefficient <= 0)
            throw new InvalidJobException("max_coefficient", $"max_coefficient must be positive, got {md.MaxCoefficient}.");
        var now = time.GetUtcNow();
        if (md.Deadline <= now)
            throw new InvalidJobException("deadline", $"The deadline {md.Deadline:O} has already passed.");
        if (md.Deadline > now + O.MaxDeadline)
            throw new InvalidJobException("deadline", $"The deadline is more than {O.MaxDeadline} away.");
        if (request.Payload is null || request.Payload.Data.Length == 0)
            throw new InvalidJobException("payload", "The job has no payload.");
        SealedPayloadRecipients.Of(request.Payload); // a malformed envelope is refused before anything is reserved

        var reserve = Pricing.MaxCharge(prices, md.MaxCoefficient, md.MaxPromptTokens, md.MaxTokens);
        // The account's wallet charges its rate limits and quota in the same call (no extra call per job). A whole job's
        // hold commits with the wallet's next write, at the latest with its settlement, before its caller hears anything.
        var admission = new ReservationAdmission((long)md.MaxPromptTokens + md.MaxTokens, prices.Limits, request.Signature, DeferCommit: whole);
        await GrainFactory.Grain<IWalletGrain>(request.AccountId).Reserve(JobId, reserve, md.Deadline + O.ReservationGrace, admission);

        S.AccountId = request.AccountId;
        S.Metadata = md;
        S.Phase = JobPhase.Running;
        S.CreatedAt = now;
        S.ReservedNano = reserve;
        S.Prices = prices;
        S.SettlesInWallet = true;
        S.ReservationDeferred = whole;
        if (!whole) await state.WriteStateAsync();
        CocoonTelemetry.JobsStarted.Add(1);
    }

    private async Task Execute(JobRun run, JobRequest request)
    {
        using var activity = CocoonTelemetry.Source.StartActivity("cocoon.job");
        activity?.SetTag("cocoon.job.id", JobId);
        activity?.SetTag("cocoon.model", request.Metadata.Model);
        JobEvent final;
        try
        {
            final = await Route(run, request);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} failed unexpectedly", JobId);
            final = new JobFailed(JobFailureCodes.NodeFailed, $"The job failed: {e.Message}", 0, 0);
        }
        try
        {
            final = await Finish(final, run.Whole);
        }
        catch (Exception e)
        {
            // Settlement resumes on the next activation; the caller still learns how the job ended.
            logger.LogError(e, "Settling job {JobId} failed; it will be retried when the job activates again", JobId);
        }
        run.Add(final);
        run.Finish();
        _ended = true;
        var saved = true;
        if (run.Whole)
        {
            // Its caller has the answer now. The row that records it (for status queries, a repeated call, and a
            // settlement that failed) commits off the caller's path: the money is safe without it, because the client's
            // wallet captured and queued the shares in one commit.
            try { await state.WriteStateAsync(); }
            catch (Exception e)
            {
                saved = false;
                logger.LogError(e, "Saving the end of job {JobId} failed; this activation keeps it in memory", JobId);
            }
        }
        _run = null;
        // A job answered in one call is done with once its row is saved: its activation goes instead of lingering for
        // the collection age (at 1,000 jobs/s, 120,000 idle activations that every activation-count gauge walks). A
        // later query reads the stored job. A streamed job stays: its callers fetch the stream's last events in
        // separate calls after it ends.
        if (run.Whole && saved && S.Settled) DeactivateOnIdle();
    }

    private async Task<JobEvent> Route(JobRun run, JobRequest request)
    {
        var md = request.Metadata;
        var jobStart = time.GetUtcNow();
        var recipients = SealedPayloadRecipients.Of(request.Payload);
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var backoff = O.BaseBackoff;
        string? lastError = null;
        var failures = new List<string>(); // every failed attempt's error, for the job's failure message
        // Nodes whose attempt only timed out before any output (queued behind long jobs, or a stall of its silo or the
        // path to it): when no untried node is left, each may get one more attempt while attempts and deadline last. The
        // value is the timed-out attempt's cancellation, which must reach the node before the new attempt does, or it
        // would cancel the new one (the node knows attempts by job id).
        var stalled = new Dictionary<string, Task>(StringComparer.Ordinal);
        var retriedStalled = new HashSet<string>(StringComparer.Ordinal);
        var attempt = 0;
        while (true)
        {
            if (run.Cancellation.IsCancellationRequested)
                return new JobFailed(JobFailureCodes.Cancelled, "The job was cancelled before it ran.", 0, 0);
            var remaining = md.Deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
                return new JobFailed(JobFailureCodes.DeadlineExceeded,
                    $"The deadline passed before any node produced output{(failures.Count > 0 ? $" (attempts: {string.Join("; ", failures)})" : lastError is null ? "" : $" (last error: {lastError})")}. Nothing was charged.", 0, 0);
            if (attempt >= O.MaxAttempts)
                return new JobFailed(JobFailureCodes.NodeFailed, $"{attempt} attempts failed: {string.Join("; ", failures)}. Nothing was charged.", 0, 0);

            var pick = await Pick(md, recipients, tried, refresh: attempt > 0);
            if (pick is null && stalled.Count > 0)
            {
                pick = await Pick(md, recipients, tried.Except(stalled.Keys).ToHashSet(StringComparer.Ordinal), refresh: false);
                if (pick is not null && stalled.Remove(pick.Node.NodeId, out var cancelling))
                {
                    try { await cancelling.WaitAsync(O.AttemptTimeout); }
                    catch (Exception) { } // unanswered or refused: the new attempt finds out whether the node answers
                }
            }
            if (pick is null)
            {
                if (attempt > 0)
                    return new JobFailed(JobFailureCodes.NodeFailed,
                        $"No other node can take the job after {attempt} failed attempts: {string.Join("; ", failures)}. Nothing was charged.", 0, 0);
                // No node yet (the network may have just started): wait a little for one to report in.
                lastError = $"no live node serves '{md.Model}' at coefficient ≤ {md.MaxCoefficient}";
                if (time.GetUtcNow() - jobStart >= O.NoNodeWait)
                    return new JobFailed(JobFailureCodes.NoNode, $"No node can take the job: {lastError}. Nothing was charged.", 0, 0);
                backoff = await Backoff(backoff, md.Deadline, run.Cancellation.Token);
                continue;
            }

            attempt++;
            tried.Add(pick.Node.NodeId);
            S.Attempts = attempt;
            if (attempt > 1) CocoonTelemetry.Retries.Add(1);
            var outcome = await Attempt(run, request, pick, attempt, jobStart);
            if (outcome.Final is not null) return outcome.Final;
            if (outcome.Stalled is { } cancellingStalled && retriedStalled.Add(pick.Node.NodeId))
                stalled[pick.Node.NodeId] = cancellingStalled;
            lastError = outcome.Error;
            failures.Add($"attempt {attempt}, {outcome.Error}");
            backoff = await Backoff(backoff, md.Deadline, run.Cancellation.Token);
        }
    }

    /// <summary>The best untried node; for a sealed payload only one it was sealed to (no other node could open it).</summary>
    private async Task<NodeCandidate?> Pick(JobMetadata md, IReadOnlySet<string>? recipients, HashSet<string> tried, bool refresh)
    {
        var list = await candidates.Get(md.Model, md.MaxCoefficient, md.Region, refresh);
        return candidates.Claim(list,
            c => !tried.Contains(c.Node.NodeId) && (recipients is null || recipients.Contains(c.Node.NodeId)) && breakers.State(c.Node.NodeId) != BreakerState.Open && breakers.TryAcquire(c.Node.NodeId),
            md.Region);
    }

    /// <param name="Stalled">Set when the attempt timed out before any output (the node may only have been slow to
    /// start): the call cancelling it on the node.</param>
    private readonly record struct AttemptOutcome(JobEvent? Final, string? Error, Task? Stalled = null);

    private async Task<AttemptOutcome> Attempt(JobRun run, JobRequest request, NodeCandidate pick, int attempt, DateTimeOffset jobStart)
    {
        var md = request.Metadata;
        var nodeId = pick.Node.NodeId;
        var node = GrainFactory.Grain<INodeGrain>(nodeId);
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token);
        var untilDeadline = md.Deadline - time.GetUtcNow();
        // A streamed attempt must show output within AttemptTimeout; a whole one shows it only at the end, so the
        // deadline bounds it (a node that dies still fails the call at once: its silo leaves, or the call breaks).
        attemptCts.CancelAfter(run.Whole ? untilDeadline : Min(O.AttemptTimeout, untilDeadline));
        var firstOutput = false;
        var nodeStart = jobStart;
        var lastTokenAt = jobStart;
        var events = run.Whole
            ? WholeEvents(node, request, attemptCts.Token)
            : node.Execute(JobId, request.AccountId, md, request.Payload, attemptCts.Token);
        if (run.Whole)
        {
            // Its events arrive only at the end: the status names the node the job was sent to meanwhile.
            S.NodeId = nodeId;
            S.NodeOwner = pick.Node.OwnerAccount;
        }
        try
        {
            await foreach (var e in events.WithCancellation(attemptCts.Token))
            {
                switch (e)
                {
                    case NodeJobStarted started:
                        nodeStart = started.StartedAt;
                        S.NodeId = nodeId;
                        S.NodeOwner = pick.Node.OwnerAccount;
                        run.Add(new JobAccepted(JobId, nodeId, attempt, md.Deadline, S.ReservedNano));
                        break;
                    case NodeJobToken t:
                        lastTokenAt = OnOutput(ref firstOutput, attemptCts, md, jobStart, lastTokenAt);
                        run.Add(Keep(new JobTokenEvent(t.Token)));
                        break;
                    case NodeJobSealedChunk c:
                        lastTokenAt = OnOutput(ref firstOutput, attemptCts, md, jobStart, lastTokenAt);
                        run.Add(Keep(new JobSealedChunkEvent(nodeId, c.Chunk)));
                        break;
                    case NodeJobReceipt r:
                        AcceptReceipt(r.Receipt, pick.Node);
                        run.Add(new JobUsageEvent(S.LastReceipt!));
                        break;
                    case NodeJobFinished f:
                        breakers.Success(nodeId);
                        var end = time.GetUtcNow();
                        var receipt = S.LastReceipt;
                        CocoonTelemetry.JobDuration.Record((end - jobStart).TotalMilliseconds);
                        return new(new JobCompleted(f.FinishReason, receipt?.PromptTokens ?? 0, receipt?.CachedPromptTokens ?? 0,
                            receipt?.CompletionTokens ?? 0, 0,
                            new JobTimings(jobStart.ToUnixTimeMilliseconds(), f.StartedAt.ToUnixTimeMilliseconds(),
                                f.EndedAt.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds())), null);
                }
            }
            return Failed(nodeId, firstOutput, "the node ended the stream without finishing the job", mayRetry: true);
        }
        catch (InvalidJobException e)
        {
            // The node read the content and refused it: another node would too.
            return new(new JobFailed(JobFailureCodes.InvalidContent, e.Message, 0, 0), null);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            _ = node.Cancel(JobId);
            return new(new JobFailed(JobFailureCodes.Cancelled, "The job was cancelled.", S.LastReceipt?.CompletionTokens ?? 0, 0), null);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            var cancelling = node.Cancel(JobId);
            breakers.Failure(nodeId);
            // The attempt's timer is the deadline once output flowed (or for a whole attempt, or when the deadline came
            // before AttemptTimeout). Timers may fire a little early against the wall clock, so it is not enough to
            // compare the time now with the deadline: that race reported a deadline as a node failure.
            var deadlineTimer = attemptCts.IsCancellationRequested && (firstOutput || run.Whole || untilDeadline <= O.AttemptTimeout);
            if (deadlineTimer || time.GetUtcNow() >= md.Deadline)
                return new(new JobFailed(JobFailureCodes.DeadlineExceeded,
                    $"The deadline passed while node {nodeId} ran the job; billed for the {S.LastReceipt?.CompletionTokens ?? 0} tokens its last receipt covers, the rest released.",
                    S.LastReceipt?.CompletionTokens ?? 0, 0), null);
            return Failed(nodeId, firstOutput, $"node {nodeId} produced no output within {O.AttemptTimeout.TotalSeconds:0.#} s", mayRetry: true) with { Stalled = firstOutput ? null : cancelling };
        }
        catch (Exception e)
        {
            if (e is NodeUnavailableException)
            {
                candidates.Forget(nodeId);
                _ = GrainFactory.Grain<IRouterGrain>(md.Model).Remove(nodeId);
            }
            if (e is not NodeBusyException) breakers.Failure(nodeId);
            logger.LogWarning("Attempt {Attempt} of job {JobId} on node {NodeId} failed: {Error}", attempt, JobId, nodeId, e.Message);
            return Failed(nodeId, firstOutput, $"node {nodeId}: {e.Message}", mayRetry: true);
        }
        finally
        {
            candidates.Finished(nodeId);
        }
    }

    private AttemptOutcome Failed(string nodeId, bool afterOutput, string error, bool mayRetry)
    {
        if (afterOutput || !mayRetry)
        {
            // Output already reached the client: a retry would bill tokens twice. Bill the last receipt; the client resumes.
            var covered = S.LastReceipt?.CompletionTokens ?? 0;
            return new(new JobFailed(JobFailureCodes.NodeFailed,
                $"Node {nodeId} failed mid-stream ({error}); billed for the {covered} tokens its last receipt covers. Resubmit with the output so far to continue.",
                covered, 0), error);
        }
        return new(null, error);
    }

    private async IAsyncEnumerable<NodeJobEvent> WholeEvents(INodeGrain node, JobRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in await node.ExecuteWhole(JobId, request.AccountId, request.Metadata, request.Payload, cancellationToken))
            yield return e;
    }

    private DateTimeOffset OnOutput(ref bool firstOutput, CancellationTokenSource attemptCts, JobMetadata md, DateTimeOffset jobStart, DateTimeOffset lastTokenAt)
    {
        var now = time.GetUtcNow();
        if (!firstOutput)
        {
            firstOutput = true;
            // From the first token on, only the job's deadline bounds the attempt.
            attemptCts.CancelAfter(Min(TimeSpan.MaxValue, md.Deadline - now));
            CocoonTelemetry.TimeToFirstToken.Record((now - jobStart).TotalMilliseconds);
        }
        else
        {
            CocoonTelemetry.InterTokenLatency.Record((now - lastTokenAt).TotalMilliseconds);
        }
        return now;
    }

    private JobEvent Keep(JobEvent e)
    {
        S.Output.Add(e);
        return e;
    }

    private void AcceptReceipt(UsageReceipt receipt, NodeDescriptor node)
    {
        var md = S.Metadata!;
        var problem =
            receipt.JobId != JobId ? "it names another job" :
            receipt.NodeId != node.NodeId ? "it names another node" :
            receipt.Coefficient != node.PriceCoefficient ? "its coefficient differs from the node's" :
            receipt.PromptTokens > md.MaxPromptTokens || receipt.CompletionTokens > md.MaxTokens ? "it exceeds the job's token bounds" :
            receipt.CachedPromptTokens > receipt.PromptTokens ? "it caches more tokens than the prompt has" :
            S.LastReceipt is { } last && (receipt.CompletionTokens < last.CompletionTokens || receipt.Sequence <= last.Sequence) && last.NodeId == receipt.NodeId
                ? "it is not newer than the last receipt" :
            !receipts.Verify(receipt, node) ? "its signature does not verify against the node's attested key" : null;
        if (problem is not null)
            throw new NodeUnavailableException(node.NodeId, $"sent a usage receipt that was refused: {problem}.");
        S.LastReceipt = receipt;
    }

    /// <summary>
    /// Records the outcome, then settles. Returns the final event with the cost filled in. A streamed job's row records
    /// its end before settlement sends anything, and its settlement after. A whole job writes nothing here: its only
    /// row is written after its caller has the answer.
    /// </summary>
    private async Task<JobEvent> Finish(JobEvent final, bool whole = false)
    {
        S.Phase = final is JobCompleted ? JobPhase.Completed : JobPhase.Failed;
        S.FailureCode = (final as JobFailed)?.Code;
        S.Final = final;
        S.EndedAt = time.GetUtcNow();
        if (!whole) await state.WriteStateAsync();
        await SettleWithRetry(persist: !whole); // a streamed job's write also records the final event with the cost
        final = S.Final ?? final;
        if (final is JobCompleted) CocoonTelemetry.JobsCompleted.Add(1); else CocoonTelemetry.JobsFailed.Add(1);
        return final;
    }

    /// <summary>
    /// Captures the cost the last receipt covers from the client and shares it between the worker and the commission,
    /// in one call to the client's wallet: it captures and queues both credits in one commit, and delivers them after.
    /// Idempotent by job id, so a crash before the job records its settlement is repaired by running it again.
    /// </summary>
    private async Task Settle(bool persist = true)
    {
        if (S.Settled) return;
        var md = S.Metadata!;
        var prices = S.Prices ?? new NetworkParameters();
        var receipt = S.LastReceipt;
        var cost = receipt is null
            ? new JobCost(0, 0, 0)
            : Pricing.Cost(prices, Math.Min(receipt.Coefficient, md.MaxCoefficient),
                Math.Min(receipt.PromptTokens, md.MaxPromptTokens), Math.Min(receipt.CachedPromptTokens, receipt.PromptTokens),
                Math.Min(receipt.CompletionTokens, md.MaxTokens));
        var owner = S.NodeOwner ?? "";
        var workerMemo = $"job on node {S.NodeId}";
        var charge = Math.Min(cost.ChargeNano, S.ReservedNano);
        var client = GrainFactory.Grain<IWalletGrain>(S.AccountId);
        long captured;
        bool sendShares;
        if (S.SettlesInWallet)
        {
            // The commission shard follows the paying account, so a wallet's queued shares go out in two calls (worker,
            // commission) however many jobs they cover. A forgotten capture (null) queued its shares when it ran.
            var commissionAccount = Accounts.Commission(StableShard(S.AccountId, prices.CommissionShards));
            var settlement = await client.Settle(JobId, charge, SettlementIssuedAt, new SettlementShares(owner, cost.WorkerNano, commissionAccount, workerMemo, S.ReservationDeferred));
            captured = settlement.CapturedNano ?? Forgotten(charge);
            sendShares = !settlement.SharesQueued && settlement.CapturedNano is not null; // captured by an earlier build's call
        }
        else
        {
            captured = await client.CaptureIssuedAt(JobId, charge, owner, SettlementIssuedAt) ?? Forgotten(charge);
            sendShares = true;
        }
        if (sendShares)
        {
            // A job stored, or captured, by an earlier build: it sends the credits itself, as that build did, to the
            // shard it chose by job id. Their wallets apply each once, or book it to suspense when they cannot tell.
            var worker = Math.Min(cost.WorkerNano, captured);
            var commission = captured - worker;
            await Task.WhenAll(
                worker > 0 ? CreditOnce(owner, LedgerEntryKind.Earn, worker, workerMemo) : Task.CompletedTask,
                commission > 0 ? CreditOnce(Accounts.Commission(StableShard(JobId, prices.CommissionShards)), LedgerEntryKind.Commission, commission, "job commission") : Task.CompletedTask);
        }
        S.CostNano = captured;
        S.Settled = true;
        S.Final = S.Final switch
        {
            JobCompleted c => c with { CostNano = captured },
            JobFailed f => f with { CostNano = captured },
            var other => other,
        };
        if (persist) await state.WriteStateAsync();
        CocoonTelemetry.ChargedNano.Add(captured);
    }

    /// <summary>
    /// The client's wallet captured for this job before (its reservation is gone) but has forgotten how much: a crash
    /// left the settlement unfinished and the wallet moved past its key. The capture ran with the inputs this one
    /// has (the same receipt, prices and reservation), so it took the same amount: the job reports it. Its shares were
    /// queued with it (a job of an earlier build sends them now).
    /// </summary>
    private long Forgotten(long charge)
    {
        logger.LogWarning("Job {JobId}: {Account} captured for it before and has forgotten the amount; settling the {Charge} nanoTON this receipt costs",
            JobId, S.AccountId, charge);
        return charge;
    }

    /// <summary>
    /// Credits one share of the job's cost. A wallet that can no longer tell whether this is a repeat (the settlement
    /// is being finished after a crash, and its idempotency window has moved past the job's end) applies nothing:
    /// the share goes to <see cref="Accounts.Suspense"/>, named in the memo, for the operator to pay or drop after
    /// checking the account's ledger. Never paid twice; never lost from the ledger.
    /// </summary>
    private async Task CreditOnce(string account, LedgerEntryKind kind, long amount, string memo)
    {
        var issuedAt = SettlementIssuedAt;
        if (await GrainFactory.Grain<IWalletGrain>(account).CreditIssuedAt(JobId, kind, amount, S.AccountId, memo, issuedAt) is not null) return;
        logger.LogError("Job {JobId}: {Account} cannot tell whether its {Kind} of {Amount} nanoTON was already credited; booking it to {Suspense}",
            JobId, account, kind, amount, Accounts.Suspense);
        await SuspenseItems.BookAsync(GrainFactory, JobId, account, kind, amount, S.AccountId, issuedAt);
    }

    /// <summary>
    /// A wallet grain may be moving (its silo just died): retry settlement for a while, so the job reports the cost it
    /// was really charged. Each step is idempotent; if it still fails, the next activation finishes it.
    /// </summary>
    private async Task SettleWithRetry(bool persist)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Settle(persist);
                return;
            }
            catch (Exception e) when (attempt < 6 && e is not CocoonException)
            {
                logger.LogWarning("Settling job {JobId} failed (attempt {Attempt}): {Error}; retrying", JobId, attempt + 1, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), time);
            }
        }
    }

    internal static int StableShard(string key, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in key) hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)Math.Max(1, shards));
    }

    /// <summary>Waits a full-jitter share of <paramref name="backoff"/> (never past the deadline); returns the next back-off.</summary>
    private async Task<TimeSpan> Backoff(TimeSpan backoff, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var delay = Min(TimeSpan.FromTicks((long)(backoff.Ticks * Random.Shared.NextDouble())), deadline - time.GetUtcNow());
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, time, cancellationToken); }
            catch (OperationCanceledException) { }
        }
        return Min(O.MaxBackoff, backoff * 2);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a < TimeSpan.Zero ? TimeSpan.Zero : a) : (b < TimeSpan.Zero ? TimeSpan.Zero : b);
}
