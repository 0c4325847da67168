using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Attestation;

/// <summary>Judges a node's evidence against a policy, now. Never throws for bad evidence: the result says what failed.</summary>
public interface IAttestationVerifier
{
    ValueTask<AttestationResult> VerifyAsync(string nodeId, Evidence evidence, CancellationToken cancellationToken = default);
}
