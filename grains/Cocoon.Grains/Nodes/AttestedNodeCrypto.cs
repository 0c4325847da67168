using System.Collections.Concurrent;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Receipts;
using UsageReceipt = Cocoon.Jobs.UsageReceipt;
using Cocoon.Confidential.Sealing;
using Cocoon.Confidential.Simulation;
using Cocoon.Errors;
using Cocoon.Jobs;

namespace Cocoon.Grains.Nodes;

/// <summary>
/// Node keys bound into simulated TDX evidence: receipts are signed with the node's Ed25519 key, sealed payloads opened
/// with its X25519 key, and the output sealed back under the request's content key. Keys persist per node in the data
/// directory so a restarted node keeps its identity.
/// </summary>
public sealed class AttestedNodeCrypto(ConfidentialOptions options, TimeProvider time) : INodeCrypto, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private static readonly Lock FileLock = new(); // silos of one process (tests) share the data directory

    private readonly ConcurrentDictionary<string, NodeIdentity> _nodes = new(StringComparer.Ordinal);
    private readonly Lazy<SimulatedTee> _tee = new(() => new SimulatedTee(LoadCa(options), time: time));

    /// <summary>EvidenceVersion is the quote's issue time in unix milliseconds: verifiers read the evidence's age from it.</summary>
    public NodeDescriptorKeys Describe(string nodeId)
    {
        var node = Identity(nodeId);
        var evidence = node.Evidence;
        if (time.GetUtcNow() - evidence.IssuedAt >= options.EvidenceRefresh)
        {
            evidence = _tee.Value.CreateEvidence(node.Keys, Math.Max(evidence.Version + 1, time.GetUtcNow().ToUnixTimeMilliseconds()));
            node.Evidence = evidence;
        }
        return new NodeDescriptorKeys(node.Keys.X25519PublicKey, node.Keys.Ed25519PublicKey, evidence.Quote, evidence.Version);
    }

    public UsageReceipt Sign(string nodeId, UsageReceipt receipt) =>
        receipt with { Signature = UsageReceiptSigner.Sign(ReceiptEncoding.ToConfidential(receipt), Identity(nodeId).Keys) };

    public (PromptContent Content, IOutputSealer? Sealer) Open(string nodeId, string jobId, JobMetadata metadata, string accountId, JobPayload payload)
    {
        if (payload.Format == PayloadFormat.Plain)
        {
            return options.AllowPlaintext
                ? (PromptContent.FromUtf8(payload.Data), null)
                : throw new InvalidJobException("payload", "This network's nodes run only sealed payloads: seal the job to attested nodes.");
        }
        if (payload.Format != PayloadFormat.Sealed)
            throw new InvalidJobException("payload", $"Unknown payload format '{payload.Format}'.");
        OpenedEnvelope opened;
        try
        {
            opened = Sealer.Open(SealedEnvelope.Parse(payload.Data), nodeId, Identity(nodeId).Keys, JobAad.Build(jobId, accountId, metadata));
        }
        catch (SealedEnvelopeException e)
        {
            throw new InvalidJobException("payload", $"Node {nodeId} cannot open the sealed payload: {e.Message}");
        }
        try
        {
            return (PromptContent.FromUtf8(opened.Plaintext), new ResponseOutputSealer(opened.ContentKey, jobId));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(opened.Plaintext);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(opened.ContentKey);
        }
    }

    private NodeIdentity Identity(string nodeId) => _nodes.GetOrAdd(nodeId, id =>
    {
        var keys = LoadOrCreateKeys(id);
        return new NodeIdentity(keys, _tee.Value.CreateEvidence(keys, time.GetUtcNow().ToUnixTimeMilliseconds()));
    });

    private NodeKeys LoadOrCreateKeys(string nodeId)
    {
        if (options.Home is null) return NodeKeys.Generate();
        var folder = Path.Combine(options.Home, "nodes");
        var path = Path.Combine(folder, nodeId + ".key");
        lock (FileLock)
        {
            if (File.Exists(path))
            {
                if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
                    throw new InvalidOperationException($"Refusing to load node keys '{path}': readable by others (run: chmod 600 '{path}').");
                return NodeKeys.Import(File.ReadAllBytes(path));
            }
            Directory.CreateDirectory(folder);
            var keys = NodeKeys.Generate();
            var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) stream.UnixCreateMode = OwnerOnly;
            using (var file = new FileStream(path, stream))
                file.Write(keys.Export());
            return keys;
        }
    }

    private static DevCertificateAuthority LoadCa(ConfidentialOptions options)
    {
        if (options.Home is null && options.DevCaPath is null) return DevCertificateAuthority.Create();
        lock (FileLock)
            return DevCertificateAuthority.LoadOrCreate(DevCertificateAuthority.ResolveFolder(options.DevCaPath, options.Home ?? "."));
    }

    public void Dispose()
    {
        foreach (var node in _nodes.Values) node.Keys.Dispose();
        if (_tee.IsValueCreated) _tee.Value.CertificateAuthority.Dispose();
    }

    private sealed class NodeIdentity(NodeKeys keys, Evidence evidence)
    {
        public NodeKeys Keys { get; } = keys;
        public Evidence Evidence { get; set; } = evidence;
    }

    /// <summary>The job's output stream, sealed chunk by chunk under keys derived from the request's content key.</summary>
    private sealed class ResponseOutputSealer(byte[] contentKey, string jobId) : IOutputSealer, IDisposable
    {
        private readonly ResponseSealer _sealer = new(contentKey, jobId);

        public SealedChunk Seal(ReadOnlySpan<byte> plaintext, bool final)
        {
            var chunk = _sealer.Seal(plaintext, final);
            return new SealedChunk(chunk.Sequence, chunk.Ciphertext, chunk.Final);
        }

        public void Dispose() => _sealer.Dispose();
    }
}
