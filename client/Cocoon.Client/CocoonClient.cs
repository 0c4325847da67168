using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Cocoon.Errors;
using Cocoon.Hosting;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Routing;
using Cocoon.Security;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Cocoon.Client;

/// <summary>The Orleans-backed <see cref="ICocoonClient"/>: public grain calls only, errors passed through typed.</summary>
public sealed class CocoonClient(
    IClusterClient cluster, CocoonConnection connection, IOptions<CocoonClientOptions> options, IJobPayloadSealer sealer, TimeProvider time)
    : ICocoonClient
{
    public CocoonConnection Connection => connection;

    private CocoonClientOptions O => options.Value;

    public IAsyncEnumerable<CocoonJobEvent> RunAsync(CocoonJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(request, request.JobId ?? JobIds.New(), fresh: request.JobId is null, whole: false, cancellationToken);
    }

    /// <summary>
    /// Runs the job with id <paramref name="jobId"/> (<paramref name="fresh"/>: made up by this client for this run).
    /// <paramref name="whole"/>: the caller reads nothing before the job ends, so a job whose deadline fits
    /// (<see cref="WholeFits"/>) is one <see cref="IJobGrain.Complete"/> call instead of a stream.
    /// </summary>
    private async IAsyncEnumerable<CocoonJobEvent> Run(
        CocoonJobRequest request, string jobId, bool fresh, bool whole, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = Account(request.AccountId);
        var content = Content(request);
        var model = string.IsNullOrWhiteSpace(request.Model) ? O.DefaultModel : request.Model.Trim();
        var maxTokens = request.MaxTokens ?? O.DefaultMaxTokens;
        if (maxTokens <= 0)
            throw new InvalidJobException("max_tokens", $"max_tokens must be positive, got {maxTokens}.");
        var maxCoefficient = request.MaxCoefficient ?? O.DefaultMaxCoefficient;
        if (maxCoefficient <= 0)
            throw new InvalidJobException("max_coefficient", $"max_coefficient must be positive (1000 = 1.0), got {maxCoefficient}.");
        if (!JobIds.IsValid(jobId))
            throw new InvalidJobException("job_id", $"'{jobId}' is not a valid job id: use 1 to 128 characters of A-Z a-z 0-9 . _ -");
        var deadline = request.Deadline ?? time.GetUtcNow() + (request.Timeout ?? O.DefaultTimeout);
        if (deadline <= time.GetUtcNow())
            throw new InvalidJobException("deadline", "The job's deadline has already passed: give it a positive timeout.");
        whole = whole && WholeFits(deadline);

        // Until the deadline (and a grace for a job that may still settle) a dead gateway is retried: calls go by job id.
        // A recent copy of the parameters serves; one that would refuse the job is read again first (it may be stale).
        var network = await Network(deadline + O.ReattachGrace, fresh: false, cancellationToken);
        if (!network.AllowedModels.Contains(model) || maxTokens > network.MaxTokensLimit)
            network = await Network(deadline + O.ReattachGrace, fresh: true, cancellationToken);
        if (!network.AllowedModels.Contains(model))
            throw new UnknownModelException(model, network.AllowedModels);
        if (maxTokens > network.MaxTokensLimit)
            throw new InvalidJobException("max_tokens", $"max_tokens must be between 1 and {network.MaxTokensLimit}, got {maxTokens}.");

        // A job that breaks mid-stream is re-attached by its id; one that failed with output delivered goes on as a
        // continuation job. Each job is settled once from its own last receipt, so no token is billed twice.
        var text = new StringBuilder();
        var delivered = 0;
        var billed = new Billed();
        var current = new JobStreamProgress(jobId) { Fresh = fresh };
        var currentContent = content;
        var remaining = maxTokens;
        for (var resume = 1; ; resume++)
        {
            var metadata = new JobMetadata(model, remaining, currentContent.PromptByteCount(), maxCoefficient, deadline) { Region = request.Region };
            var offset = delivered;
            CocoonJobFailed? failed = null;
            await foreach (var e in RunJob(current, account, metadata, currentContent, whole, cancellationToken))
            {
                switch (e)
                {
                    case CocoonJobToken t:
                        text.Append(t.Text);
                        delivered++;
                        yield return t with { Index = t.Index + offset };
                        break;
                    case CocoonJobCompleted c:
                        yield return c with
                        {
                            JobId = jobId,
                            PromptTokens = billed.PromptTokens + c.PromptTokens,
                            CachedPromptTokens = billed.CachedPromptTokens + c.CachedPromptTokens,
                            CompletionTokens = billed.CompletionTokens + c.CompletionTokens,
                            CostNano = billed.CostNano + c.CostNano,
                        };
                        yield break;
                    case CocoonJobFailed f:
                        failed = f;
                        // The node list this job was sealed to may be what failed it: the next job reads it afresh.
                        _nodeLists.TryRemove(model, out _);
                        break;
                    default:
                        yield return e;
                        break;
                }
            }
            if (failed is null)
                throw new JobFailedException(current.JobId, JobFailureCodes.NodeFailed, $"Job {current.JobId} ended without a result.", text.ToString(), billed.CostNano);

            billed.Add(failed, current.LastUsage);
            remaining = maxTokens - delivered;
            // A continuation that finds no node is tried again too: right after a node or core silo died the routers may
            // briefly list nothing (a router that lived on a dead core silo restarts empty until the nodes report in).
            var continuation = resume > 1;
            var resumable = resume <= O.MaxResumes && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested
                && (failed.Code == JobFailureCodes.NodeFailed || (failed.Code == JobFailureCodes.Cancelled && current.Broke)
                    || (continuation && failed.Code == JobFailureCodes.NoNode))
                // The network already tried other nodes before the first token: only a job that delivered output, or whose
                // stream broke, or that continues one that did, is worth a continuation.
                && (current.Tokens > 0 || current.Broke || continuation);
            if (!resumable)
            {
                yield return failed with { JobId = jobId, CompletionTokens = billed.CompletionTokens, CostNano = billed.CostNano };
                yield break;
            }
            if (remaining <= 0)
            {
                // Every token asked for was delivered before the job broke: nothing is left to run.
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                yield return new CocoonJobCompleted(jobId, "length", billed.PromptTokens, billed.CachedPromptTokens, billed.CompletionTokens, billed.CostNano,
                    new JobTimings(now, now, now, now));
                yield break;
            }
            var next = Continuation.JobId(jobId, resume);
            yield return new CocoonJobResumed(jobId, current.JobId, next, $"{failed.Code}: {failed.Message}", delivered, remaining, billed.CostNano);
            current = new JobStreamProgress(next);
            currentContent = Continuation.Content(content, text.ToString());
        }
    }

    /// <summary>
    /// One job: submits it (or attaches to it when its id exists) and streams its events; when the stream breaks it
    /// re-attaches by the job id and skips what was already delivered. A caller that stops early cancels the job.
    /// </summary>
    private async IAsyncEnumerable<CocoonJobEvent> RunJob(
        JobStreamProgress progress, string account, JobMetadata metadata, PromptContent content, bool whole,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var job = cluster.Grain<IJobGrain>(progress.JobId);
        var key = KeyFor(account);
        var retryUntil = metadata.Deadline + O.ReattachGrace;
        // An id this client just made up names no job yet; any other may be a job to attach to.
        var status = progress.Fresh
            ? new JobStatus(progress.JobId, JobPhase.Unknown, "", null, 0, 0, 0, default, null)
            : await Retrying(() => job.GetStatus(Signed(key, RequestOperations.JobStatus, RequestContent.Job(progress.JobId))), retryUntil, cancellationToken);
        IReadOnlyList<NodeCandidate> candidates = [];
        if (status.Phase == JobPhase.Unknown)
        {
            // A new job: wait for a node first, so a model that is still loading does not fail the job. A recent node
            // list serves a fresh job; a job attached again or continued reads the router.
            var wait = await WaitForNodes(progress.JobId, metadata, retryUntil, cached: progress.Fresh, cancellationToken);
            if (wait.Failure is not null)
            {
                yield return wait.Failure;
                yield break;
            }
            candidates = wait.Candidates;
        }

        var ended = false;
        try
        {
            for (var attach = 0; ; attach++)
            {
                var sealedPayload = await sealer.SealAsync(
                    new JobSealingContext(progress.JobId, metadata, content, candidates) { AccountId = account, Existing = status.Phase != JobPhase.Unknown },
                    cancellationToken);
                var replayedTokens = 0;
                Exception? broke = null;
                // Signed afresh for each attach: a signature (its nonce) is good once.
                var payload = sealedPayload.Payload;
                var signature = RequestSigning.Sign(key, RequestOperations.JobRun, RequestContent.JobRun(progress.JobId, metadata, payload), time.GetUtcNow());
                var jobRequest = new JobRequest(account, metadata, payload) { Signature = signature };
                var e = (whole ? Whole(job, jobRequest, cancellationToken) : job.Run(jobRequest, cancellationToken)).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (true)
                    {
                        JobEvent current;
                        try
                        {
                            if (!await e.MoveNextAsync()) break;
                            current = e.Current;
                        }
                        catch (Exception ex) when (StreamBroke(ex, cancellationToken))
                        {
                            broke = ex;
                            break;
                        }
                        foreach (var mapped in Map(progress.JobId, current, sealedPayload.Opener))
                        {
                            switch (mapped)
                            {
                                case CocoonJobToken:
                                    // A re-attached stream starts from the job's first token: skip what the caller has.
                                    if (replayedTokens++ < progress.Tokens) continue;
                                    progress.Tokens++;
                                    break;
                                case CocoonJobAccepted a:
                                    if (a.Attempt <= progress.LastAttempt) continue;
                                    progress.LastAttempt = a.Attempt;
                                    break;
                                case CocoonJobUsage u:
                                    if (progress.LastUsage is { } last && last.NodeId == u.NodeId && u.Sequence <= last.Sequence) continue;
                                    progress.LastUsage = u;
                                    break;
                                case CocoonJobCompleted or CocoonJobFailed:
                                    ended = true;
                                    break;
                            }
                            yield return mapped;
                            if (ended) yield break;
                        }
                    }
                }
                finally
                {
                    // A broken enumeration is left to expire on the silo: the latest attacher owns the job, and disposing
                    // this one could reach the live job and cancel it.
                    if (broke is null) await e.DisposeAsync();
                }

                // The stream broke (or ended without a final event): the job itself may still be running or finished.
                progress.Broke = true;
                if (attach >= O.MaxReattaches)
                    throw broke is not null && Unreachable(broke) is { } unreachable ? unreachable
                        : new CocoonException(JobFailureCodes.NodeFailed,
                            $"The stream of job {progress.JobId} broke {attach + 1} times ({broke?.Message ?? "it ended without a result"}): check it with `cocoon jobs show {progress.JobId}`.");
                status = await StatusForReattach(job, progress.JobId, key, retryUntil, cancellationToken);
                candidates = [];
                if (status.Phase == JobPhase.Unknown && progress.Tokens == 0)
                {
                    // Never admitted (its gateway died with the first call) or lost before any output: submit it again
                    // under the same id, so it is still run (and billed) once.
                    progress.LastAttempt = 0;
                    progress.LastUsage = null;
                    var wait = await WaitForNodes(progress.JobId, metadata, retryUntil, cached: false, cancellationToken);
                    if (wait.Failure is not null)
                    {
                        ended = true;
                        yield return wait.Failure;
                        yield break;
                    }
                    candidates = wait.Candidates;
                }
                else if (status.Phase == JobPhase.Unknown)
                {
                    // Its record was lost with the silo that held it (memory storage): nothing was settled for it.
                    ended = true;
                    yield return new CocoonJobFailed(progress.JobId, JobFailureCodes.NodeFailed,
                        "The job's record was lost with the core silo that ran it; nothing was billed for it.", 0, 0);
                    yield break;
                }
            }
        }
        finally
        {
            // The caller stopped early, was cancelled, or the stream could not be re-attached: stop the node's work.
            if (!ended) await CancelQuietly(job, progress.JobId, key);
        }
    }

    /// <summary>
    /// Whether a job fits in one <see cref="IJobGrain.Complete"/> call: its deadline must fall a margin inside the
    /// connection's response timeout. A call whose job's core silo dies gets no answer, and only that timeout ends it
    /// (as it ends a stream's wait for its next event), so a longer job streams instead.
    /// </summary>
    private bool WholeFits(DateTimeOffset deadline) => deadline - time.GetUtcNow() <= ResponseTimeout - WholeMargin;

    private TimeSpan ResponseTimeout => _responseTimeout ??=
        cluster.ServiceProvider.GetService<IOptions<ClientMessagingOptions>>()?.Value.ResponseTimeout ?? TimeSpan.FromSeconds(30);

    private TimeSpan? _responseTimeout;

    /// <summary>Room left in the response timeout for settling and answering after the job's deadline.</summary>
    private static readonly TimeSpan WholeMargin = TimeSpan.FromSeconds(5);

    /// <summary>The job's events from one <see cref="IJobGrain.Complete"/> call; a broken call surfaces at the first read, as a broken stream does.</summary>
    private static async IAsyncEnumerable<JobEvent> Whole(IJobGrain job, JobRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in await job.Complete(request, cancellationToken))
            yield return e;
    }

    /// <summary>Waits with back-off until the job's status can be read again (a gateway or core silo may be restarting).</summary>
    private Task<JobStatus> StatusForReattach(IJobGrain job, string jobId, AccountKey key, DateTimeOffset until, CancellationToken cancellationToken) =>
        Retrying(() => job.GetStatus(Signed(key, RequestOperations.JobStatus, RequestContent.Job(jobId))), until, cancellationToken);

    /// <summary>
    /// Calls (signing afresh each time through <paramref name="call"/>) until it answers or <paramref name="until"/>
    /// passes, backing off while the connection is broken: a gateway or core silo may be dead or restarting.
    /// </summary>
    private async Task<T> Retrying<T>(Func<Task<T>> call, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var backoff = O.NodeWaitInitialBackoff;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (StreamBroke(e, cancellationToken) && time.GetUtcNow() < until)
            {
                // not answering yet: try again
            }
            catch (Exception e) when (StreamBroke(e, cancellationToken))
            {
                throw Unreachable(e) ?? new ClusterUnreachableException(Connection.GatewayList, e.Message);
            }
            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, O.NodeWaitMaxBackoff.Ticks));
        }
    }

    private async Task CancelQuietly(IJobGrain job, string jobId, AccountKey key)
    {
        try
        {
            await job.Cancel(Signed(key, RequestOperations.JobCancel, RequestContent.Job(jobId))).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Best effort: the job grain also cancels when its starter's call goes away, and the deadline bounds it.
        }
    }

    /// <summary>
    /// Transport failures (a lost connection, a dead silo, an enumerator gone with its activation), not job errors and
    /// not the caller's own cancellation. A cancellation the caller did not ask for is the runtime abandoning a call
    /// whose connection went away.
    /// </summary>
    private bool StreamBroke(Exception e, CancellationToken callerToken) =>
        !callerToken.IsCancellationRequested && e is not CocoonException
        && (Unreachable(e) is not null || e is OrleansException or EnumerationAbortedException or OperationCanceledException);

    /// <summary>What the jobs of a resumed run were billed, from their final events and last receipts.</summary>
    private sealed class Billed
    {
        public int PromptTokens;
        public int CachedPromptTokens;
        public int CompletionTokens;
        public long CostNano;

        public void Add(CocoonJobFailed failed, CocoonJobUsage? lastReceipt)
        {
            CostNano += failed.CostNano;
            CompletionTokens += failed.CompletionTokens;
            if (failed.CostNano > 0 && lastReceipt is not null)
            {
                PromptTokens += lastReceipt.PromptTokens;
                CachedPromptTokens += lastReceipt.CachedPromptTokens;
            }
        }
    }

    public async Task<CocoonCompletion> CompleteAsync(CocoonJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jobId = request.JobId ?? JobIds.New();
        var tokens = new List<CocoonJobToken>();
        var continuations = new List<string>();
        string? nodeId = null;
        await foreach (var e in Run(request, jobId, fresh: request.JobId is null, whole: true, cancellationToken))
        {
            switch (e)
            {
                case CocoonJobAccepted a:
                    nodeId = a.NodeId;
                    break;
                case CocoonJobToken t:
                    tokens.Add(t);
                    break;
                case CocoonJobResumed r:
                    continuations.Add(r.ContinuationJobId);
                    break;
                case CocoonJobCompleted c:
                    return new CocoonCompletion(jobId, nodeId, Text(tokens), tokens, c.FinishReason, c.PromptTokens, c.CachedPromptTokens, c.CompletionTokens, c.CostNano)
                    {
                        Continuations = continuations,
                        Timings = c.Timings,
                    };
                case CocoonJobFailed f:
                    throw new JobFailedException(jobId, f.Code, f.Message, Text(tokens), f.CostNano);
            }
        }
        throw new JobFailedException(jobId, JobFailureCodes.NodeFailed, $"Job {jobId} ended without a result.", Text(tokens), 0);
    }

    public Task<AccountBalance> GetBalanceAsync(string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        var key = KeyFor(account);
        return Call(() => cluster.GetGrain<IWalletGrain>(account).ReadBalance(Signed(key, RequestOperations.WalletBalance, RequestContent.Balance())));
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string? accountId = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        if (limit < 0) throw new InvalidJobException("limit", $"The entry limit must not be negative, got {limit}.");
        var key = KeyFor(account);
        return Call(() => cluster.GetGrain<IWalletGrain>(account).ReadEntries(Signed(key, RequestOperations.WalletEntries, RequestContent.Entries(limit)), limit));
    }

    public async Task<IReadOnlyList<CocoonNode>> ListNodesAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        var network = await GetNetworkAsync(cancellationToken);
        if (model is not null && !network.AllowedModels.Contains(model))
            throw new UnknownModelException(model, network.AllowedModels);
        IReadOnlyList<string> models = model is null ? network.AllowedModels : [model];
        var lists = await Task.WhenAll(models.Select(m => Call(() => cluster.GetGrain<IRouterGrain>(m).ListNodes())));
        // A node serving several models reports to each model's router: merge by node id, keep the freshest report.
        return lists.SelectMany(l => l)
            .GroupBy(c => c.Node.NodeId, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.MaxBy(c => c.LastSeen)!;
                var n = latest.Node;
                var served = g.SelectMany(c => c.Node.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                return new CocoonNode(n.NodeId, served, n.PriceCoefficient, latest.Load, n.MaxActive, n.Region, n.OwnerAccount, latest.LastSeen, n.Evidence.Length > 0);
            })
            .OrderBy(n => n.Id, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<IReadOnlyList<CocoonModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var network = await GetNetworkAsync(cancellationToken);
        var counts = await Task.WhenAll(network.AllowedModels.Select(m => Call(() => cluster.GetGrain<IRouterGrain>(m).ListNodes())));
        return network.AllowedModels.Select((m, i) => new CocoonModel(m, counts[i].Count)).ToArray();
    }

    public Task<NetworkParameters> GetNetworkAsync(CancellationToken cancellationToken = default) =>
        Call(() => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get());

    private (NetworkParameters Value, DateTimeOffset ReadAt)? _network;
    private readonly ConcurrentDictionary<string, (IReadOnlyList<NodeCandidate> Nodes, DateTimeOffset ReadAt)> _nodeLists = new(StringComparer.Ordinal);

    /// <summary>The network parameters: a copy at most <see cref="CocoonClientOptions.NetworkCacheTtl"/> old, unless <paramref name="fresh"/>.</summary>
    private async Task<NetworkParameters> Network(DateTimeOffset retryUntil, bool fresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!fresh && _network is { } cached && now - cached.ReadAt < O.NetworkCacheTtl) return cached.Value;
        var network = await Retrying(() => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get(), retryUntil, cancellationToken);
        _network = (network, now);
        return network;
    }

    /// <summary>The model's live nodes from its router, or (<paramref name="cached"/>) a list read at most <see cref="CocoonClientOptions.NetworkCacheTtl"/> ago.</summary>
    private async Task<IReadOnlyList<NodeCandidate>> NodeList(string model, DateTimeOffset retryUntil, bool cached, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cached && _nodeLists.TryGetValue(model, out var list) && now - list.ReadAt < O.NetworkCacheTtl) return list.Nodes;
        var nodes = await Retrying(() => cluster.GetGrain<IRouterGrain>(model).ListNodes(), retryUntil, cancellationToken);
        // Only a list with nodes is kept: a job that found none waits and asks again.
        if (nodes.Count > 0) _nodeLists[model] = (nodes, now);
        else _nodeLists.TryRemove(model, out _);
        return nodes;
    }

    public async Task<JobStatus> GetJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        RequireJobId(jobId);
        var key = KeyFor(account);
        var status = await Call(() => cluster.GetGrain<IJobGrain>(jobId).GetStatus(Signed(key, RequestOperations.JobStatus, RequestContent.Job(jobId))));
        return status.Phase == JobPhase.Unknown ? throw new JobNotFoundException(jobId) : status;
    }

    public async Task CancelJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        await GetJobAsync(jobId, account, cancellationToken);
        var key = KeyFor(account);
        await Call(() => cluster.GetGrain<IJobGrain>(jobId).Cancel(Signed(key, RequestOperations.JobCancel, RequestContent.Job(jobId))));
    }

    private readonly record struct NodeWait(IReadOnlyList<NodeCandidate> Candidates, CocoonJobFailed? Failure);

    /// <summary>Polls the model's router with back-off until a node within the price limit is live, or the deadline passes.</summary>
    private async Task<NodeWait> WaitForNodes(string jobId, JobMetadata md, DateTimeOffset retryUntil, bool cached, CancellationToken cancellationToken)
    {
        var backoff = O.NodeWaitInitialBackoff;
        while (true)
        {
            var nodes = await NodeList(md.Model, retryUntil, cached, cancellationToken);
            var affordable = nodes.Where(n => n.Node.PriceCoefficient <= md.MaxCoefficient).ToArray();
            if (affordable.Length > 0) return new(affordable, null);
            if (cached)
            {
                // A copy refuses nothing: read the router before telling the caller no node fits.
                cached = false;
                continue;
            }
            if (nodes.Count > 0)
            {
                var cheapest = nodes.Min(n => n.Node.PriceCoefficient);
                return new([], new CocoonJobFailed(jobId, JobFailureCodes.NoNode,
                    $"Every node serving '{md.Model}' asks a coefficient above {md.MaxCoefficient} (the cheapest asks {cheapest}): raise max coefficient to at least {cheapest}. Nothing was charged.",
                    0, 0));
            }
            var remaining = md.Deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
                return new([], new CocoonJobFailed(jobId, JobFailureCodes.NoNode,
                    $"No node served '{md.Model}' before the job's deadline: start a worker silo that serves it, or wait until its model is loaded. Nothing was charged.",
                    0, 0));
            await Task.Delay(remaining < backoff ? remaining : backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, O.NodeWaitMaxBackoff.Ticks));
        }
    }

    private static IEnumerable<CocoonJobEvent> Map(string jobId, JobEvent e, IJobOutputOpener? opener)
    {
        switch (e)
        {
            case JobAccepted a:
                yield return new CocoonJobAccepted(a.JobId, a.NodeId, a.Attempt, a.Deadline, a.ReservedNano);
                break;
            case JobTokenEvent t:
                yield return new CocoonJobToken(t.Token.Index, t.Token.Id, t.Token.Text);
                break;
            case JobSealedChunkEvent c:
                if (opener is null)
                    throw new CocoonException("unexpected_sealed_output",
                        $"Node {c.NodeId} sent sealed output for job {jobId}, but this client cannot open it: the job was sent in plaintext (the node is misbehaving), or it was sealed by another client that holds its content key.");
                foreach (var token in opener.Open(c.NodeId, c.Chunk))
                    yield return new CocoonJobToken(token.Index, token.Id, token.Text);
                break;
            case JobUsageEvent u:
                var r = u.Receipt;
                yield return new CocoonJobUsage(r.NodeId, r.PromptTokens, r.CachedPromptTokens, r.CompletionTokens, r.Coefficient, r.Sequence, r.Final);
                break;
            case JobCompleted c:
                opener?.Complete();
                yield return new CocoonJobCompleted(jobId, c.FinishReason, c.PromptTokens, c.CachedPromptTokens, c.CompletionTokens, c.CostNano, c.Timings);
                break;
            case JobFailed f:
                yield return new CocoonJobFailed(jobId, f.Code, f.Message, f.CompletionTokens, f.CostNano);
                break;
        }
    }

    private string Account(string? requested)
    {
        var account = string.IsNullOrWhiteSpace(requested) ? Connection.AccountId : requested.Trim();
        if (account is null) throw new NoAccountException(Connection.Home);
        if (!Accounts.IsValid(account) || Accounts.IsSystem(account))
            throw new InvalidJobException("account", $"'{account}' is not a valid account id: use 1 to 128 characters of A-Z a-z 0-9 : . _ - (not system:).");
        return account;
    }

    public Task<Payouts.PayoutView> WithdrawAsync(long amountNano, string destination, string requestId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        var key = KeyFor(account);
        var signature = RequestSigning.Sign(key, RequestOperations.WalletWithdraw, RequestContent.Withdrawal(requestId, amountNano, destination), time.GetUtcNow());
        return Call(() => cluster.GetGrain<Payouts.IWithdrawalGrain>(account).Withdraw(
            new Payouts.WithdrawalRequest(account, amountNano, destination, requestId) { Signature = signature }));
    }

    public Task<Payouts.PayoutView?> GetWithdrawalAsync(string requestId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        var key = KeyFor(account);
        return Call(() => cluster.GetGrain<Payouts.IWithdrawalGrain>(account).GetWithdrawal(
            Signed(key, RequestOperations.WalletWithdrawal, RequestContent.WithdrawalStatus(requestId)), requestId));
    }

    /// <summary>The key that signs for <paramref name="account"/>: calls for an account the client holds no key of cannot be made.</summary>
    private AccountKey KeyFor(string account) =>
        Connection.Keys.TryGetValue(account, out var key) ? key : throw new NoAccountKeyException(account);

    /// <summary>Each call gets its own timestamp and nonce: a signed request is good once.</summary>
    private SignedRequest Signed(AccountKey key, string operation, byte[] digest) =>
        RequestSigning.SignedRequest(key, operation, digest, time.GetUtcNow());

    private static void RequireJobId(string jobId)
    {
        if (!JobIds.IsValid(jobId))
            throw new InvalidJobException("job_id", $"'{jobId}' is not a valid job id: use 1 to 128 characters of A-Z a-z 0-9 . _ -");
    }

    private PromptContent Content(CocoonJobRequest request)
    {
        var hasPrompt = request.Prompt is not null;
        var hasMessages = request.Messages is { Count: > 0 };
        if (hasPrompt == hasMessages)
            throw new InvalidJobException("prompt", hasPrompt ? "Give either a prompt or chat messages, not both." : "The job has no prompt: give a prompt or chat messages.");
        var text = request.Prompt ?? string.Concat(request.Messages!.Select(m => m.Content));
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidJobException("prompt", "The prompt is empty: send at least one non-blank character.");
        if (request.Messages?.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Role)) is not null)
            throw new InvalidJobException("messages", "Every chat message needs a role (system, user or assistant).");
        if (request.Temperature < 0 || !float.IsFinite(request.Temperature))
            throw new InvalidJobException("temperature", $"temperature must be a finite number ≥ 0, got {request.Temperature}.");
        if (request.TopP is <= 0 or > 1 || !float.IsFinite(request.TopP))
            throw new InvalidJobException("top_p", $"top_p must be in (0, 1], got {request.TopP}.");
        if (request.TopK < 0)
            throw new InvalidJobException("top_k", $"top_k must not be negative (0 turns it off), got {request.TopK}.");
        if (!float.IsFinite(request.PresencePenalty) || !float.IsFinite(request.FrequencyPenalty))
            throw new InvalidJobException("penalty", "Presence and frequency penalties must be finite numbers.");
        if (request.Stop?.Any(string.IsNullOrEmpty) == true)
            throw new InvalidJobException("stop", "A stop sequence must not be empty.");
        return new PromptContent
        {
            Prompt = request.Prompt,
            Messages = request.Messages,
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            Seed = request.Seed,
            PresencePenalty = request.PresencePenalty,
            FrequencyPenalty = request.FrequencyPenalty,
            Stop = request.Stop is { Count: > 0 } ? request.Stop : null,
        };
    }

    private static string Text(IEnumerable<CocoonJobToken> tokens)
    {
        var text = new StringBuilder();
        foreach (var t in tokens) text.Append(t.Text);
        return text.ToString();
    }

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Unreachable(e) is { } translated)
        {
            throw translated;
        }
    }

    private async Task Call(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (Unreachable(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Connection-level Orleans failures become one typed error; everything else passes through.</summary>
    private ClusterUnreachableException? Unreachable(Exception e) => e switch
    {
        SiloUnavailableException or ConnectionFailedException or OrleansMessageRejectionException or GatewayTooBusyException
            => new ClusterUnreachableException(Connection.GatewayList, e.Message),
        TimeoutException => new ClusterUnreachableException(Connection.GatewayList, $"no answer in time: {e.Message}"),
        _ => null,
    };
}
