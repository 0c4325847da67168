using System.Text;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Receipts;
using Cocoon.Confidential.Sealing;
using NSec.Cryptography;
using Xunit.Abstractions;

namespace Cocoon.Confidential.Tests.Sealing;

/// <summary>The deterministic vectors of docs/sealing.md: fixed keys, ephemeral keys and nonce through the internal randomness seam.</summary>
public sealed class SealingVectorTests(ITestOutputHelper output)
{
    internal static byte[] Run(int start, int count) => Enumerable.Range(start, count).Select(i => (byte)i).ToArray();

    internal static readonly byte[] Aad = "job-42|acct-7|model=echo"u8.ToArray();
    internal static readonly byte[] Payload = "hello, cocoon"u8.ToArray();

    private sealed class FixedRandomness : ISealingRandomness
    {
        private int _ephemeral;

        public byte[] ContentKey() => Run(0xA0, 32);

        public byte[] Nonce() => Run(0xC0, 12);

        public void EphemeralPrivateKey(Span<byte> scalar)
        {
            Assert.Equal(0, _ephemeral++); // one ephemeral key per envelope
            Run(0xD0, 32).CopyTo(scalar);
        }
    }

    private static NodeKeys NodeA() => NodeKeys.FromPrivateKeys(Run(0x01, 32), Run(0x21, 32));

    private static NodeKeys NodeB() => NodeKeys.FromPrivateKeys(Run(0x41, 32), Run(0x61, 32));

    private const string ExpectedEnvelope =
        "01000200066e6f64652d616b3ee67463583cbe3dc08fe9d0765c2666ff5210dd527c9d8705e44927c80d55ea079c91acddeec7bde3a1265ab6fbc0db6eab81d409e29d65d06f8ff99dcea8bd212d6b0bbaceefae858f8f2e2fa45e00066e6f64652d626b3ee67463583cbe3dc08fe9d0765c2666ff5210dd527c9d8705e44927c80d55a3d41ee4d8c15b4881da2da24e5dfe5b31dcb8cf0d244d4e1c4dae95517145c34c6f545be8e0b33f76182bcdf8a507d1c0c1c2c3c4c5c6c7c8c9cacb0000001df7db291a3423c915ec65df2567b958f4f0e52ae97652a9190989b16f01";
    /// <summary>The same inputs sealed as version 2, the sender key's scalar being the ephemeral one above.</summary>
    private const string ExpectedEnvelopeV2 =
        "02000200066e6f64652d616b3ee67463583cbe3dc08fe9d0765c2666ff5210dd527c9d8705e44927c80d55e521f88b91533ba4549e28f87d5da8efce71ce1fb11fc134b6c959e784a77cca264813fe7dc4c86dfa3cb71774a358d800066e6f64652d626b3ee67463583cbe3dc08fe9d0765c2666ff5210dd527c9d8705e44927c80d5554e1b9b85d7e727ad644a7997047463e92ef33952ec0d816a14edcbdf6f981eb1d3ab7ecbe66d3e2519ed3edc6ea2b14c0c1c2c3c4c5c6c7c8c9cacb0000001df7db291a3423c915ec65df2567b958f4f0e52ae97652a9190989b16f01";
    private const string ExpectedChunk0 =
        "042931646cc58ffc3f4f8b5370a3fdecc2c0c9";
    private const string ExpectedChunk1 =
        "f9e43da7fdd7bbfd1cd247b16a2425812769";
    private const string ExpectedReceipt =
        "636f636f6f6e2f726563656970742f763100066a6f622d343200066e6f64652d61000000000000000c00000000000000040000000000000002000003e8000000000000000101";
    private const string ExpectedReceiptSignature =
        "756fe5f8f619464b0c70d7077280e299b355f031970033b02916d7c1e52b93fa2a4829cfc7d9240495a83782de889a075f9093bee85d00513ccd311a00fb4501";
    private const string ExpectedReportData =
        "b695cb0287d317c6754fd54add41ad9561a3731b170acdcc48803fa471469c03b8798a4757778edb76d592df5e760f0bc0ac9eaf3060a55b32b3b7723c65e128";

    [Fact]
    public void The_documented_vectors_reproduce()
    {
        using var a = NodeA();
        using var b = NodeB();
        var envelope = Sealer.Seal(Payload, Aad, [new("node-a", a.X25519PublicKey), new("node-b", b.X25519PublicKey)], null, new FixedRandomness());
        var envelopeHex = Convert.ToHexStringLower(envelope.ToBytes());
        using var sealer = new ResponseSealer(Run(0xA0, 32), "job-42");
        var chunk0 = Convert.ToHexStringLower(sealer.Seal("Hel"u8).Ciphertext);
        var chunk1 = Convert.ToHexStringLower(sealer.Seal("lo"u8, final: true).Ciphertext);
        var receipt = new UsageReceipt("job-42", "node-a", 12, 4, 2, 1000, 1, true);
        var receiptHex = Convert.ToHexStringLower(receipt.Encode());
        var signatureHex = Convert.ToHexStringLower(UsageReceiptSigner.Sign(receipt, a));
        var reportData = Convert.ToHexStringLower(a.ReportData());

        output.WriteLine($"node-a x25519 pub {Convert.ToHexStringLower(a.X25519PublicKey)}");
        output.WriteLine($"node-a ed25519 pub {Convert.ToHexStringLower(a.Ed25519PublicKey)}");
        output.WriteLine($"node-b x25519 pub {Convert.ToHexStringLower(b.X25519PublicKey)}");
        output.WriteLine($"envelope {envelopeHex}");
        output.WriteLine($"chunk0 {chunk0}");
        output.WriteLine($"chunk1 {chunk1}");
        output.WriteLine($"receipt {receiptHex}");
        output.WriteLine($"signature {signatureHex}");
        output.WriteLine($"reportdata {reportData}");

        Assert.Equal(ExpectedEnvelope, envelopeHex);
        Assert.Equal(ExpectedChunk0, chunk0);
        Assert.Equal(ExpectedChunk1, chunk1);
        Assert.Equal(ExpectedReceipt, receiptHex);
        Assert.Equal(ExpectedReceiptSignature, signatureHex);
        Assert.Equal(ExpectedReportData, reportData);

        // And the vectors open: node B reads the payload, the chunks decrypt under the content key.
        var opened = Sealer.Open(SealedEnvelope.Parse(Convert.FromHexString(ExpectedEnvelope)), "node-b", b, Aad);
        Assert.Equal(Payload, opened.Plaintext);
        Assert.Equal(Run(0xA0, 32), opened.ContentKey);
    }

    [Fact]
    public void The_documented_version_2_vector_reproduces_and_opens()
    {
        using var a = NodeA();
        using var b = NodeB();
        using var sender = new SenderKey(Run(0xD0, 32), DateTimeOffset.UnixEpoch, 1, TimeSpan.FromHours(1));
        var envelope = Sealer.Seal(Payload, Aad, [new("node-a", a.X25519PublicKey), new("node-b", b.X25519PublicKey)], sender, new FixedRandomness());
        var hex = Convert.ToHexStringLower(envelope.ToBytes());
        output.WriteLine($"envelope v2 {hex}");
        Assert.Equal(ExpectedEnvelopeV2, hex);

        var opened = Sealer.Open(SealedEnvelope.Parse(Convert.FromHexString(ExpectedEnvelopeV2)), "node-a", a, Aad);
        Assert.Equal(Payload, opened.Plaintext);
        Assert.Equal(Run(0xA0, 32), opened.ContentKey);
    }

    [Fact]
    public void The_vectors_in_docs_sealing_md_are_these()
    {
        var doc = File.ReadAllText(FindDoc());
        foreach (var hex in new[] { ExpectedEnvelope, ExpectedEnvelopeV2, ExpectedChunk0, ExpectedChunk1, ExpectedReceipt, ExpectedReceiptSignature, ExpectedReportData })
        {
            Assert.Contains(hex, doc.Replace("\n", "").Replace(" ", ""));
        }
    }

    private static string FindDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "sealing.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("docs/sealing.md not found above the test binaries");
    }
}
