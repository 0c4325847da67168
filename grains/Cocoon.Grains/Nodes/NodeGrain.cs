using System.Runtime.CompilerServices;
using System.Text;
using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Telemetry;
using Cocoon.Inference;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Nodes;

/// <summary>
/// One GPU node, pinned to the worker silo that hosts it. Runs job attempts on the node's inference sessions
/// with back-pressure (max_active running, a bounded queue) and heartbeats its load to each model's router.
/// </summary>
[NodeSiloPlacement, Reentrant]
public sealed class NodeGrain(
    NodeRuntime runtime,
    INodeCrypto crypto,
    ILocalSiloDetails silo,
    TimeProvider time,
    IOptions<NodeOptions> options,
    ILogger<NodeGrain> logger) : Grain, INodeGrain
{
    private NodeInstance _node = null!;
    private NetworkParameters _parameters = new();
    private IGrainTimer? _heartbeat;

    private string NodeId => _nodeId ??= this.GetPrimaryKeyString(); // parsed from the grain id on each call otherwise
    private string? _nodeId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _node = runtime.Get(NodeId)
            ?? throw new NodeUnavailableException(NodeId, $"silo {silo.SiloAddress} does not host it.");
        _parameters = await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get();
        _heartbeat = this.RegisterGrainTimer(Heartbeat, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.HeartbeatInterval) { KeepAlive = true });
    }

    public Task<NodeDescriptor> Describe() => Task.FromResult(Descriptor());

    public Task<NodeLoad> GetLoad() => Task.FromResult(Load());

    public async Task<NodeJobEvent[]> ExecuteWhole(
        string jobId, string accountId, JobMetadata metadata, JobPayload payload, CancellationToken cancellationToken = default)
        => await Execute(jobId, accountId, metadata, payload, cancellationToken).ToArrayAsync(cancellationToken);

    public async IAsyncEnumerable<NodeJobEvent> Execute(
        string jobId, string accountId, JobMetadata metadata, JobPayload payload, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var node = _node;
        if (node.Draining)
            throw new NodeUnavailableException(NodeId, "it is draining for shutdown.");
        if (!node.Sessions.TryGetValue(metadata.Model, out var session))
            throw new NodeUnavailableException(NodeId, $"it does not serve model '{metadata.Model}' (or it is still loading).");
        if (node.Running + node.Queued >= node.Config.MaxActive + node.Config.QueueLimit)
            throw new NodeBusyException(NodeId);

        // The plaintext exists only here, inside the node: validate the content against the public metadata.
        var (content, sealer) = crypto.Open(NodeId, jobId, metadata, accountId, payload);
        using var disposeSealer = sealer as IDisposable;
        var request = ToRequest(content, metadata);
        int promptTokens;
        try { promptTokens = session.CountPromptTokens(request); }
        catch (InvalidGenerationRequestException e) { throw new InvalidJobException("prompt", e.Message); }
        if (promptTokens == 0)
            throw new InvalidJobException("prompt", "The prompt is empty: send at least one non-blank character.");
        if (promptTokens > metadata.MaxPromptTokens)
            throw new InvalidJobException("max_prompt_tokens",
                $"The prompt has {promptTokens} tokens but the job declared at most {metadata.MaxPromptTokens}.");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Only the job's own grain runs it, one attempt at a time: an earlier attempt still here is one that grain gave
        // up on (it timed out before its cancellation arrived). The new attempt replaces it; a job never runs twice.
        node.Jobs.AddOrUpdate(jobId, cts, (_, previous) =>
        {
            try { previous.Cancel(); }
            catch (ObjectDisposedException) { } // it ended meanwhile
            return cts;
        });
        Interlocked.Increment(ref node.Queued);
        var queued = true;
        var acquired = false;
        try
        {
            await node.Slots.WaitAsync(cts.Token);
            acquired = true;
            Interlocked.Decrement(ref node.Queued);
            queued = false;
            Interlocked.Increment(ref node.Running);

            var startedAt = time.GetUtcNow();
            yield return new NodeJobStarted(startedAt);

            var every = Math.Max(1, _parameters.ReceiptEveryTokens);
            var usage = new InferenceUsage(promptTokens, 0, 0);
            var finish = "stop";
            var sequence = 0;
            var index = 0;
            await using var steps = session.GenerateAsync(request, cts.Token).GetAsyncEnumerator(cts.Token);
            while (true)
            {
                GenerationStep step;
                try
                {
                    if (!await steps.MoveNextAsync()) break;
                    step = steps.Current;
                }
                catch (InvalidGenerationRequestException e)
                {
                    throw new InvalidJobException("prompt", e.Message);
                }
                usage = step.Usage;
                if (step.Token is { } token)
                {
                    if (index == 0) node.RecordLatency(time.GetUtcNow() - startedAt);
                    var jobToken = new JobToken(index++, token.Id, token.Text);
                    yield return sealer is null
                        ? new NodeJobToken(jobToken)
                        : new NodeJobSealedChunk(sealer.Seal(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(jobToken)), final: false));
                    CocoonTelemetry.Tokens.Add(1);
                    if (usage.CompletionTokens % every == 0 && step.Finish is null)
                        yield return new NodeJobReceipt(Receipt(jobId, usage, sequence++, final: false));
                }
                if (step.Finish is { } reason)
                {
                    finish = reason == FinishReason.Length ? "length" : "stop";
                    break;
                }
            }
            if (sealer is not null)
                yield return new NodeJobSealedChunk(sealer.Seal([], final: true));
            yield return new NodeJobReceipt(Receipt(jobId, usage, sequence, final: true));
            yield return new NodeJobFinished(finish, startedAt, time.GetUtcNow());
        }
        finally
        {
            if (queued) Interlocked.Decrement(ref node.Queued);
            if (acquired)
            {
                Interlocked.Decrement(ref node.Running);
                node.Slots.Release();
            }
            node.Jobs.TryRemove(new KeyValuePair<string, CancellationTokenSource>(jobId, cts)); // not a later attempt's entry
        }
    }

    public Task Cancel(string jobId)
    {
        if (_node.Jobs.TryGetValue(jobId, out var cts))
        {
            logger.LogInformation("Cancelling job {JobId} on node {NodeId}", jobId, NodeId);
            cts.Cancel();
        }
        return Task.CompletedTask;
    }

    public async Task Drain(TimeSpan timeout)
    {
        _node.Draining = true;
        // Routers stop offering the node at once (a draining node sends no heartbeats); a job that still reaches it is
        // refused before it starts and retried elsewhere. Removed again at the end, after any heartbeat in flight.
        foreach (var model in _node.Config.Models)
        {
            try { await GrainFactory.GetGrain<IRouterGrain>(model).Remove(NodeId); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Removing draining node {NodeId} from the {Model} router failed", NodeId, model); }
        }
        var until = time.GetUtcNow() + timeout;
        while (_node.Running + _node.Queued > 0 && time.GetUtcNow() < until)
            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
        foreach (var model in _node.Config.Models)
            await GrainFactory.GetGrain<IRouterGrain>(model).Remove(NodeId);
    }

    private UsageReceipt Receipt(string jobId, InferenceUsage usage, int sequence, bool final) =>
        crypto.Sign(NodeId, new UsageReceipt(jobId, NodeId, usage.PromptTokens, usage.CachedPromptTokens,
            usage.CompletionTokens, _node.Config.PriceCoefficient, sequence, final));

    private async Task Heartbeat(CancellationToken cancellationToken)
    {
        if (_node.Draining) return;
        var descriptor = Descriptor();
        var load = Load();
        foreach (var model in descriptor.Models)
        {
            try
            {
                await GrainFactory.GetGrain<IRouterGrain>(model).Heartbeat(descriptor, load);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Heartbeat of node {NodeId} to the {Model} router failed", NodeId, model);
            }
        }
    }

    private NodeDescriptor Descriptor()
    {
        var keys = crypto.Describe(NodeId);
        var c = _node.Config;
        return new NodeDescriptor(NodeId, _node.Sessions.Keys.Order(StringComparer.Ordinal).ToArray(), c.PriceCoefficient, c.MaxActive, c.Region, c.OwnerAccount)
        {
            SealingKey = keys.SealingKey,
            SigningKey = keys.SigningKey,
            Evidence = keys.Evidence,
            EvidenceVersion = keys.EvidenceVersion,
            Silo = silo.SiloAddress.ToString(),
        };
    }

    private NodeLoad Load() => new(_node.Running, _node.Queued, _node.RecentLatencyMs);

    private static GenerationRequest ToRequest(PromptContent content, JobMetadata metadata) => new()
    {
        Prompt = content.Prompt,
        Messages = content.Messages?.Select(m => new ChatMessage(m.Role, m.Content)).ToArray(),
        MaxTokens = metadata.MaxTokens,
        Sampling = new SamplingOptions
        {
            Temperature = content.Temperature,
            TopP = content.TopP,
            TopK = content.TopK,
            Seed = content.Seed,
            PresencePenalty = content.PresencePenalty,
            FrequencyPenalty = content.FrequencyPenalty,
        },
        StopSequences = content.Stop ?? [],
    };
}
