using System.Runtime.CompilerServices;
using System.Text;
using Cocoon.Errors;
using Cocoon.Jobs;
using Cocoon.Registry;
using Cocoon.Routing;
using Cocoon.Wallets;
using Microsoft.Extensions.Options;
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

    public async IAsyncEnumerable<CocoonJobEvent> RunAsync(CocoonJobRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = Account(request.AccountId);
        var content = Content(request);
        var model = string.IsNullOrWhiteSpace(request.Model) ? O.DefaultModel : request.Model.Trim();
        var maxTokens = request.MaxTokens ?? O.DefaultMaxTokens;
        if (maxTokens <= 0)
            throw new InvalidJobException("max_tokens", $"max_tokens must be positive, got {maxTokens}.");
        var maxCoefficient = request.MaxCoefficient ?? O.DefaultMaxCoefficient;
        if (maxCoefficient <= 0)
            throw new InvalidJobException("max_coefficient", $"max_coefficient must be positive (1000 = 1.0), got {maxCoefficient}.");
        var jobId = request.JobId ?? JobIds.New();
        if (!JobIds.IsValid(jobId))
            throw new InvalidJobException("job_id", $"'{jobId}' is not a valid job id: use 1 to 128 characters of A-Z a-z 0-9 . _ -");
        var deadline = request.Deadline ?? time.GetUtcNow() + (request.Timeout ?? O.DefaultTimeout);
        if (deadline <= time.GetUtcNow())
            throw new InvalidJobException("deadline", "The job's deadline has already passed: give it a positive timeout.");

        // Until the deadline a broken connection is retried: the job id makes every call idempotent.
        var reattachUntil = deadline + O.ReattachGrace;
        var network = await Retrying(() => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get(), reattachUntil, cancellationToken);
        if (!network.AllowedModels.Contains(model))
            throw new UnknownModelException(model, network.AllowedModels);
        if (maxTokens > network.MaxTokensLimit)
            throw new InvalidJobException("max_tokens", $"max_tokens must be between 1 and {network.MaxTokensLimit}, got {maxTokens}.");

        var metadata = new JobMetadata(model, maxTokens, content.PromptByteCount(), maxCoefficient, deadline) { Region = request.Region };
        var job = cluster.GetGrain<IJobGrain>(jobId);
        var status = await Retrying(() => job.GetStatus(account), reattachUntil, cancellationToken);

        IReadOnlyList<NodeCandidate> candidates = [];
        if (status.Phase == JobPhase.Unknown)
        {
            // A new job: wait for a node first, so a model that is still loading does not fail the job.
            var wait = await WaitForNodes(jobId, metadata, reattachUntil, cancellationToken);
            if (wait.Failure is not null)
            {
                yield return wait.Failure;
                yield break;
            }
            candidates = wait.Candidates;
        }

        var sealedPayload = await sealer.SealAsync(new JobSealingContext(jobId, metadata, content, candidates) { AccountId = account, Existing = status.Phase != JobPhase.Unknown }, cancellationToken);
        var jobRequest = new JobRequest(account, metadata, sealedPayload.Payload);
        var seen = new JobStreamPosition();
        var backoff = O.ReattachInitialBackoff;
        while (true)
        {
            // A pass ends with the job's final event, or breaks when the connection or the job's activation goes away
            // (a gateway died, the job's core silo stopped): then the same job id is run again, which attaches to the
            // live job or replays its stored output; what this caller already has is skipped.
            var e = job.Run(jobRequest, cancellationToken).GetAsyncEnumerator(cancellationToken);
            var broken = false;
            seen.StartPass();
            try
            {
                while (true)
                {
                    JobEvent current;
                    try
                    {
                        if (!await e.MoveNextAsync()) yield break;
                        current = e.Current;
                    }
                    catch (Exception ex) when (Interrupted(ex) && time.GetUtcNow() < reattachUntil && !cancellationToken.IsCancellationRequested)
                    {
                        broken = true;
                        break;
                    }
                    catch (Exception ex) when (Unreachable(ex) is { } translated)
                    {
                        throw translated;
                    }
                    if (!seen.IsNew(current)) continue;
                    foreach (var mapped in Map(jobId, current, sealedPayload.Opener))
                        yield return mapped;
                    if (current is JobCompleted or JobFailed) yield break;
                }
            }
            finally
            {
                // A broken enumeration is left to expire on the silo: disposing it could reach a live job and cancel it.
                if (!broken) await e.DisposeAsync();
            }
            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, O.ReattachMaxBackoff.Ticks));
        }
    }

    public async Task<CocoonCompletion> CompleteAsync(CocoonJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jobId = request.JobId ?? JobIds.New();
        var maxTokens = request.MaxTokens ?? O.DefaultMaxTokens;
        // One deadline for the job and its continuations.
        var deadline = request.Deadline ?? time.GetUtcNow() + (request.Timeout ?? O.DefaultTimeout);
        var tokens = new List<CocoonJobToken>();
        var continuations = new List<string>();
        string? nodeId = null;
        long cost = 0;
        var completionTokens = 0;
        var part = request with { JobId = jobId, Deadline = deadline };
        while (true)
        {
            CocoonJobFailed? failed = null;
            await foreach (var e in RunAsync(part, cancellationToken))
            {
                switch (e)
                {
                    case CocoonJobAccepted a:
                        nodeId = a.NodeId;
                        break;
                    case CocoonJobToken t:
                        tokens.Add(t with { Index = tokens.Count });
                        break;
                    case CocoonJobCompleted c:
                        return new CocoonCompletion(jobId, nodeId, Text(tokens), tokens, c.FinishReason, c.PromptTokens,
                            c.CachedPromptTokens, completionTokens + c.CompletionTokens, cost + c.CostNano)
                        {
                            Continuations = continuations,
                        };
                    case CocoonJobFailed f:
                        failed = f;
                        break;
                }
                if (failed is not null) break;
            }
            failed ??= new CocoonJobFailed(part.JobId!, JobFailureCodes.NodeFailed, $"Job {part.JobId} ended without a result.", 0, 0);
            cost += failed.CostNano;
            completionTokens += failed.CompletionTokens;
            var next = Continuation(request, jobId, continuations.Count + 1, Text(tokens), maxTokens - tokens.Count, deadline);
            // A continuation that finds no node is tried again too: right after a node or core silo died the routers may
            // briefly list nothing (a router that lived on a dead core silo restarts empty until the nodes report in).
            var continuable = failed.Code == JobFailureCodes.NodeFailed || (continuations.Count > 0 && failed.Code == JobFailureCodes.NoNode);
            if (!continuable || next is null || continuations.Count >= O.MaxContinuations)
                throw new JobFailedException(jobId, failed.Code, failed.Message, Text(tokens), cost);
            // The node (or the core silo running the job) died: what its last receipt covered is billed; the rest of the
            // output comes from a continuation on other nodes, which bills only its own tokens.
            continuations.Add(next.JobId!);
            part = next;
        }
    }

    /// <summary>
    /// The request that continues a failed job: the output so far appended to the prompt (or as the assistant's
    /// message), the tokens left, the same deadline, and a derived id so that running it again replays, never re-bills.
    /// Null when nothing is left to generate or the derived id would be too long.
    /// </summary>
    private static CocoonJobRequest? Continuation(CocoonJobRequest request, string jobId, int number, string textSoFar, int tokensLeft, DateTimeOffset deadline)
    {
        var id = $"{jobId}.c{number}";
        if (tokensLeft <= 0 || !JobIds.IsValid(id)) return null;
        return request with
        {
            JobId = id,
            MaxTokens = tokensLeft,
            Deadline = deadline,
            Prompt = request.Prompt is null ? null : request.Prompt + textSoFar,
            Messages = request.Messages is null || textSoFar.Length == 0
                ? request.Messages
                : [.. request.Messages, new PromptMessage("assistant", textSoFar)],
        };
    }

    public Task<AccountBalance> GetBalanceAsync(string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        return Call(() => cluster.GetGrain<IWalletGrain>(account).GetBalance());
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string? accountId = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        if (limit < 0) throw new InvalidJobException("limit", $"The entry limit must not be negative, got {limit}.");
        return Call(() => cluster.GetGrain<IWalletGrain>(account).GetEntries(limit));
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

    public async Task<JobStatus> GetJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        RequireJobId(jobId);
        var status = await Call(() => cluster.GetGrain<IJobGrain>(jobId).GetStatus(account));
        return status.Phase == JobPhase.Unknown ? throw new JobNotFoundException(jobId) : status;
    }

    public async Task CancelJobAsync(string jobId, string? accountId = null, CancellationToken cancellationToken = default)
    {
        var account = Account(accountId);
        await GetJobAsync(jobId, account, cancellationToken);
        await Call(() => cluster.GetGrain<IJobGrain>(jobId).Cancel(account));
    }

    private readonly record struct NodeWait(IReadOnlyList<NodeCandidate> Candidates, CocoonJobFailed? Failure);

    /// <summary>Polls the model's router with back-off until a node within the price limit is live, or the deadline passes.</summary>
    private async Task<NodeWait> WaitForNodes(string jobId, JobMetadata md, DateTimeOffset retryUntil, CancellationToken cancellationToken)
    {
        var router = cluster.GetGrain<IRouterGrain>(md.Model);
        var backoff = O.NodeWaitInitialBackoff;
        while (true)
        {
            var nodes = await Retrying(() => router.ListNodes(), retryUntil, cancellationToken);
            var affordable = nodes.Where(n => n.Node.PriceCoefficient <= md.MaxCoefficient).ToArray();
            if (affordable.Length > 0) return new(affordable, null);
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

    /// <summary>Calls until it succeeds or <paramref name="until"/> passes, retrying when the connection broke.</summary>
    private async Task<T> Retrying<T>(Func<Task<T>> call, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var backoff = O.ReattachInitialBackoff;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (Interrupted(e) && time.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, O.ReattachMaxBackoff.Ticks));
            }
            catch (Exception e) when (Unreachable(e) is { } translated)
            {
                throw translated;
            }
        }
    }

    /// <summary>The call broke on the way (connection, gateway, or the grain's activation went away), not in the grain.</summary>
    private bool Interrupted(Exception e) => e is EnumerationAbortedException || Unreachable(e) is not null;

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
