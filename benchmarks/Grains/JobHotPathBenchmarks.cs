using BenchmarkDotNet.Attributes;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Receipts;
using Cocoon.Grains.Jobs;
using Cocoon.Grains.Nodes;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Wallets;
using UsageReceipt = Cocoon.Jobs.UsageReceipt;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cocoon.Benchmarks.Grains;

/// <summary>
/// The job grain's own work per job, apart from grain calls and storage round trips: sign and verify a usage receipt
/// (a node signs about one per <see cref="NetworkParameters.ReceiptEveryTokens"/> tokens, the job verifies each),
/// read a sealed payload's recipients, price the reservation and the cost, and serialize the job row it writes.
/// </summary>
[MemoryDiagnoser]
public class JobHotPathBenchmarks
{
    private NodeKeys _keys = null!;
    private NodeDescriptor _node = null!;
    private UsageReceipt _receipt = null!;
    private readonly Ed25519ReceiptVerifier _verifier = new();
    private JobPayload _sealed = null!;
    private Serializer _serializer = null!;
    private JobState _job = null!;
    private readonly NetworkParameters _prices = new();

    [GlobalSetup]
    public void Setup()
    {
        _keys = NodeKeys.Generate();
        _node = new NodeDescriptor("node-0", ["echo"], 1_000, 256, "local", "owner") { SigningKey = _keys.Ed25519PublicKey };
        var unsigned = new UsageReceipt("job-0123456789abcdef0123456789abcdef", "node-0", 12, 0, 8, 1_000, 3, true);
        _receipt = unsigned with { Signature = UsageReceiptSigner.Sign(ReceiptEncoding.ToConfidential(unsigned), _keys) };
        var recipients = Enumerable.Range(0, 3).Select(i => new Cocoon.Confidential.Sealing.SealRecipient($"node-{i}", NodeKeys.Generate().X25519PublicKey)).ToArray();
        var envelope = Cocoon.Confidential.Sealing.Sealer.Seal(new byte[64], "aad"u8.ToArray(), recipients);
        _sealed = new JobPayload(PayloadFormat.Sealed, envelope.ToBytes());
        _serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(JobState).Assembly)).BuildServiceProvider()
            .GetRequiredService<Serializer>();
        _job = new JobState
        {
            AccountId = "dev",
            Metadata = new JobMetadata("echo", 8, 44, 4_000, DateTimeOffset.UtcNow.AddMinutes(1)),
            Phase = JobPhase.Completed,
            CreatedAt = DateTimeOffset.UtcNow,
            Attempts = 1,
            NodeId = "node-0",
            NodeOwner = "owner",
            ReservedNano = 1_216_000,
            Prices = _prices,
            LastReceipt = _receipt,
            Output = [.. Enumerable.Range(0, 8).Select(i => (JobEvent)new JobSealedChunkEvent("node-0", new SealedChunk(i, new byte[48], i == 7)))],
            Settled = true,
            CostNano = 41_000,
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    [Benchmark(Description = "node: sign a usage receipt")]
    public int SignReceipt() => UsageReceiptSigner.Sign(ReceiptEncoding.ToConfidential(_receipt), _keys).Length;

    [Benchmark(Description = "job: verify a usage receipt")]
    public bool VerifyReceipt() => _verifier.Verify(_receipt, _node);

    [Benchmark(Description = "job: sealed payload recipients")]
    public int Recipients() => SealedPayloadRecipients.Of(_sealed)!.Count;

    [Benchmark(Description = "job: reserve + cost pricing")]
    public long Pricing() =>
        Cocoon.Wallets.Pricing.MaxCharge(_prices, 4_000, 44, 8) - Cocoon.Wallets.Pricing.Cost(_prices, 1_000, 12, 0, 8).ChargeNano;

    [Benchmark(Description = "job: serialize the job row (8 sealed chunks)")]
    public int SerializeJob() => _serializer.SerializeToArray(_job).Length;
}
