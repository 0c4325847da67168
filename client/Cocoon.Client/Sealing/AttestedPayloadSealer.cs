using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Sealing;
using Cocoon.Errors;
using Cocoon.Jobs;
using Cocoon.Routing;
using Microsoft.Extensions.Options;

namespace Cocoon.Client;

/// <summary>
/// Seals a job's content to up to <see cref="CocoonClientOptions.SealToCandidates"/> of the model's best candidates whose
/// evidence verifies (candidates that fail are dropped), bound to job id, account and metadata (<see cref="JobAad"/>).
/// The job grain then routes only to those nodes. When no candidate presents evidence at all, the sealing mode decides:
/// <c>auto</c> sends plaintext (a keyless dev network), <c>required</c> refuses.
/// </summary>
/// <remarks>
/// Each sealed job's content key is kept in the <see cref="SealedKeyStore"/> (owner-only logs in <c>sealed-jobs/</c> under
/// the data directory, for <see cref="CocoonClientOptions.SealedKeyRetention"/>), so that running the same job id again
/// can replay its recorded, sealed output; only this client can read it.
/// </remarks>
public sealed class AttestedPayloadSealer(IGrainFactory grains, IAttestationVerifier verifier, IOptions<CocoonClientOptions> options, SealedKeyStore keys)
    : IJobPayloadSealer, IDisposable
{
    public AttestedPayloadSealer(IGrainFactory grains, IAttestationVerifier verifier, IOptions<CocoonClientOptions> options, string keyFolder)
        : this(grains, verifier, options, new SealedKeyStore(keyFolder, options.Value.SealedKeyRetention))
    {
    }

    private CocoonClientOptions O => options.Value;

    private readonly SenderKeyRing _senderKeys = new(lifetime: options.Value.SenderKeyLifetime);

    /// <summary>The sender keys this client seals with (version 2 envelopes), or off when the lifetime is zero.</summary>
    public SenderKeyRing SenderKeys => _senderKeys;

    public async ValueTask<SealedJobPayload> SealAsync(JobSealingContext context, CancellationToken cancellationToken)
    {
        if (context.Existing)
        {
            // Attaching: the grain ignores the payload, so none is sent (never the plaintext); the stored key opens the output.
            var none = new JobPayload(PayloadFormat.Sealed, []);
            return keys.Find(context.JobId) is { } kept
                ? new SealedJobPayload(none, new ResponseStreamOpener(kept, context.JobId, null))
                : new SealedJobPayload(none, null);
        }
        var plaintext = new SealedJobPayload(new JobPayload(PayloadFormat.Plain, context.Content.ToUtf8()), null);
        if (O.Sealing == SealingMode.Off) return plaintext;

        var md = context.Metadata;
        var k = Math.Clamp(O.SealToCandidates, 1, SealedEnvelope.MaxRecipients);
        // Take more than k: some may fail attestation and are dropped. The client's node list (fresh from the router, or
        // at most CocoonClientOptions.NetworkCacheTtl old, ranked by load) serves, with the router's region preference
        // applied; without one, the router ranks them.
        var want = Math.Min(4 * k, SealedEnvelope.MaxRecipients);
        IReadOnlyList<NodeCandidate> ranked = context.Candidates.Count > 0
            ? context.Candidates
                .Where(c => c.Node.PriceCoefficient <= md.MaxCoefficient)
                .OrderBy(c => md.Region is not null && c.Node.Region == md.Region && c.Load.Running + c.Load.Queued < c.Node.MaxActive ? 0 : 1)
                .Take(want)
                .ToArray()
            : await grains.GetGrain<IRouterGrain>(md.Model).GetCandidates(want, md.MaxCoefficient, md.Region);
        if (ranked.All(c => c.Node.Evidence.Length == 0))
        {
            return O.Sealing == SealingMode.Auto
                ? plaintext
                : throw new CocoonException("no_attested_node", $"No node serving '{md.Model}' presents attestation evidence, and this client requires sealing.");
        }

        var recipients = new List<SealRecipient>();
        var refused = new List<string>();
        foreach (var candidate in ranked)
        {
            if (recipients.Count == k) break;
            var evidence = NodeEvidence.From(candidate.Node);
            if (evidence is null)
            {
                refused.Add($"{candidate.Node.NodeId}: no evidence");
                continue;
            }
            var verdict = await verifier.VerifyAsync(candidate.Node.NodeId, evidence, cancellationToken);
            if (verdict.Verified) recipients.Add(new SealRecipient(candidate.Node.NodeId, candidate.Node.SealingKey));
            else refused.Add($"{candidate.Node.NodeId}: {verdict.FailureReason}");
        }
        if (recipients.Count == 0)
            throw new CocoonException("no_attested_node",
                $"No node serving '{md.Model}' passed attestation, so the prompt was not sent: {string.Join("; ", refused)}.");

        var envelope = Sealer.Seal(context.Content.ToUtf8(), JobAad.Build(context.JobId, context.AccountId, md), recipients, _senderKeys, out var contentKey);
        keys.Save(context.JobId, contentKey);
        return new SealedJobPayload(new JobPayload(PayloadFormat.Sealed, envelope.ToBytes()),
            new ResponseStreamOpener(contentKey, context.JobId, recipients.Select(r => r.NodeId).ToHashSet(StringComparer.Ordinal)));
    }

    public void Dispose() => _senderKeys.Dispose();
}

/// <summary>Whether a client seals its jobs: <c>Auto</c> when the nodes present evidence, <c>Required</c> always, <c>Off</c> never.</summary>
public enum SealingMode { Auto, Required, Off }
