using Cocoon.Jobs;

namespace Cocoon.Grains.Nodes;

/// <summary>Signs a node's usage receipts with its attested key, and opens payloads sealed to it.</summary>
public interface INodeCrypto
{
    /// <summary>The node's public keys and evidence, merged into its descriptor.</summary>
    NodeDescriptorKeys Describe(string nodeId);

    UsageReceipt Sign(string nodeId, UsageReceipt receipt);

    /// <summary>Opens a job's payload for this node; returns the content and a sealer for the output (null for plaintext).</summary>
    (PromptContent Content, IOutputSealer? Sealer) Open(string nodeId, string jobId, JobMetadata metadata, string accountId, JobPayload payload);
}

public sealed record NodeDescriptorKeys(byte[] SealingKey, byte[] SigningKey, byte[] Evidence, long EvidenceVersion);

/// <summary>Seals the output stream of one job under keys derived from its content key.</summary>
public interface IOutputSealer
{
    SealedChunk Seal(ReadOnlySpan<byte> plaintext, bool final);
}

/// <summary>No keys: payloads must be plaintext and receipts are unsigned. Only for networks without confidentiality.</summary>
public sealed class PlaintextNodeCrypto : INodeCrypto
{
    public NodeDescriptorKeys Describe(string nodeId) => new([], [], [], 0);

    public UsageReceipt Sign(string nodeId, UsageReceipt receipt) => receipt;

    public (PromptContent Content, IOutputSealer? Sealer) Open(string nodeId, string jobId, JobMetadata metadata, string accountId, JobPayload payload) =>
        payload.Format == PayloadFormat.Plain
            ? (PromptContent.FromUtf8(payload.Data), null)
            : throw new Errors.InvalidJobException("payload", $"This node cannot open '{payload.Format}' payloads: it has no sealing key.");
}
