using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Sealing;
using Cocoon.Confidential.Simulation;

namespace Cocoon.Benchmarks.Confidential;

/// <summary>
/// Sealing cost against the raw primitives it is built from (X25519 agreements + one AEAD over the body), a 256-token
/// streamed response, and quote verification uncached vs cached. Quote inputs come from shared/testdata/tdx when found.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ConfidentialBenchmarks
{
    private static readonly byte[] Aad = "job-1|account-1|model=echo|max_tokens=256"u8.ToArray();

    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(1024);
    private NodeKeys[] _nodes = [];
    private SealRecipient[] _one = [];
    private SealRecipient[] _three = [];
    private readonly byte[] _ephemeralScalar = RandomNumberGenerator.GetBytes(32);
    private readonly SenderKeyRing _senderKeys = new();
    private byte[] _contentKey = [];
    private byte[] _token = [];
    private byte[] _phalaQuote = [];
    private QuoteCollateral? _phalaCollateral;
    private QuoteVerifier _quoteVerifier = null!;
    private DevCertificateAuthority _ca = null!;
    private Evidence _evidence = null!;
    private AttestationVerifier _simulatedVerifier = null!;
    private CachingAttestationVerifier _cached = null!;
    private static readonly DateTimeOffset PhalaAt = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _nodes = [NodeKeys.Generate(), NodeKeys.Generate(), NodeKeys.Generate()];
        _one = [new("node-0", _nodes[0].X25519PublicKey)];
        _three = [.. _nodes.Select((n, i) => new SealRecipient($"node-{i}", n.X25519PublicKey))];
        _contentKey = RandomNumberGenerator.GetBytes(32);
        _token = RandomNumberGenerator.GetBytes(6);

        var tdx = FindTdxTestData();
        if (tdx is not null)
        {
            _phalaQuote = File.ReadAllBytes(Path.Combine(tdx, "phala.quote"));
            _phalaCollateral = CollateralLoader.Load(Path.Combine(tdx, "phala.collateral.json"));
        }
        _quoteVerifier = new QuoteVerifier(TrustAnchors.IntelOnly);
        _ca = DevCertificateAuthority.Create();
        _evidence = new SimulatedTee(_ca).CreateEvidence(_nodes[0], 1);
        _simulatedVerifier = new AttestationVerifier(new QuoteVerifier(_ca.CreateTrustAnchors()), null, AttestationPolicy.Development);
        _cached = new CachingAttestationVerifier(_simulatedVerifier, TimeProvider.System, TimeSpan.FromHours(1));
        _cached.VerifyAsync("node-0", _evidence).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
        _senderKeys.Dispose();
        _ca.Dispose();
    }

    [Benchmark(Description = "raw: 2 X25519+HKDF, AEAD 1 KB both ways")]
    public int RawPrimitives1() => Raw(1);

    [Benchmark(Description = "seal+open 1 KB, 1 candidate")]
    public int SealOpen1() => Sealer.Open(Sealer.Seal(_payload, Aad, _one), "node-0", _nodes[0], Aad).Plaintext.Length;

    [Benchmark(Description = "raw: 4 X25519+HKDF, AEAD 1 KB both ways")]
    public int RawPrimitives3() => Raw(3);

    [Benchmark(Description = "seal+open 1 KB, 3 candidates")]
    public int SealOpen3() => Sealer.Open(Sealer.Seal(_payload, Aad, _three), "node-2", _nodes[2], Aad).Plaintext.Length;

    // Version 2, steady state: the client's sender key and both sides' agreements are already in memory.
    [Benchmark(Description = "seal+open 1 KB, 1 candidate, version 2")]
    public int SealOpen1V2() => Sealer.Open(Sealer.Seal(_payload, Aad, _one, _senderKeys, out _), "node-0", _nodes[0], Aad).Plaintext.Length;

    [Benchmark(Description = "seal+open 1 KB, 3 candidates, version 2")]
    public int SealOpen3V2() => Sealer.Open(Sealer.Seal(_payload, Aad, _three, _senderKeys, out _), "node-2", _nodes[2], Aad).Plaintext.Length;

    [Benchmark(Description = "256-token response: seal + open")]
    public int StreamedResponse256()
    {
        using var sealer = new ResponseSealer(_contentKey, "job-1");
        using var opener = new ResponseOpener(_contentKey, "job-1");
        var total = 0;
        for (var i = 0; i < 256; i++)
        {
            total += opener.Open(sealer.Seal(_token, final: i == 255)).Length;
        }
        opener.Complete();
        return total;
    }

    [Benchmark(Description = "DCAP verify phala.quote, uncached")]
    public bool VerifyQuoteUncached() =>
        _phalaCollateral is not null && _quoteVerifier.Verify(_phalaQuote, _phalaCollateral, AttestationPolicy.Default, PhalaAt).Verified;

    [Benchmark(Description = "verify simulated evidence, uncached")]
    public bool VerifySimulatedUncached() => _simulatedVerifier.VerifyAsync("node-0", _evidence).AsTask().GetAwaiter().GetResult().Verified;

    [Benchmark(Description = "verify evidence, cached hit")]
    public bool VerifyCached()
    {
        var pending = _cached.VerifyAsync("node-0", _evidence);
        return pending.IsCompletedSuccessfully && pending.Result.Verified;
    }

    [Benchmark(Description = "raw: 256 × AEAD 6 B both ways")]
    public int RawStream256()
    {
        // The stream's floor: an encrypt and a decrypt per token, through the same one-shot AEAD the stream uses.
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> sealedToken = stackalloc byte[6 + 16];
        Span<byte> opened = stackalloc byte[6];
        var total = 0;
        for (var i = 0; i < 256; i++)
        {
            nonce[11] = (byte)i;
            Sodium.Encrypt(_contentKey, nonce, _token, sealedToken[..6], sealedToken[6..], Aad);
            Sodium.Decrypt(_contentKey, nonce, sealedToken[..6], sealedToken[6..], opened, Aad);
            total += opened.Length;
        }
        return total;
    }

    // The floor seal+open is built on: an X25519 agreement and a key derivation per candidate plus one to open, and one
    // AEAD over the body each way, through the same libsodium calls sealing makes. Sealing adds an ephemeral key per
    // candidate (a base-point multiplication), the key wraps and the envelope's allocations.
    private int Raw(int candidates)
    {
        Span<byte> shared = stackalloc byte[32];
        Span<byte> okm = stackalloc byte[44];
        for (var i = 0; i <= candidates; i++)
        {
            Sodium.ScalarMult(shared, _ephemeralScalar, _nodes[Math.Min(i, candidates - 1)].X25519PublicKey);
            Sodium.Hkdf(shared, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, okm);
        }
        var ciphertext = new byte[_payload.Length + 16];
        var plaintext = new byte[_payload.Length];
        Sodium.Encrypt(_contentKey, okm[32..], _payload, ciphertext.AsSpan(0, _payload.Length), ciphertext.AsSpan(_payload.Length), Aad);
        Sodium.Decrypt(_contentKey, okm[32..], ciphertext.AsSpan(0, _payload.Length), ciphertext.AsSpan(_payload.Length), plaintext, Aad);
        return plaintext.Length;
    }

    private static string? FindTdxTestData()
    {
        var env = Environment.GetEnvironmentVariable("COCOON_TESTDATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "tdx")))
        {
            return Path.Combine(env, "tdx");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", "tdx");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
