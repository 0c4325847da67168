using System.Security.Cryptography;
using Cocoon.Confidential.Sealing;
using NSec.Cryptography;

namespace Cocoon.Confidential.Keys;

/// <summary>
/// A node's two keys: X25519 for opening sealed requests, Ed25519 for signing usage receipts. Both public keys are
/// bound into the TDX quote through REPORTDATA = SHA-512(x25519Pub ‖ ed25519Pub).
/// </summary>
public sealed class NodeKeys : IDisposable
{
    /// <summary>Export format: version byte 1, then the X25519 private key (32) and the Ed25519 seed (32).</summary>
    public const int ExportLength = 65;
    private const byte ExportVersion = 1;

    private NodeKeys(Key agreement, Key signing)
    {
        AgreementKey = agreement;
        SigningKey = signing;
        X25519PublicKey = agreement.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Ed25519PublicKey = signing.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Sender keys this node has agreed with most recently (envelope version 2 reuses a client's sender key).</summary>
    internal const int RememberedSenders = 1024;

    private readonly RecentAgreements _agreements = new(RememberedSenders);

    internal Key AgreementKey { get; }
    internal Key SigningKey { get; }
    public byte[] X25519PublicKey { get; }
    public byte[] Ed25519PublicKey { get; }

    public static NodeKeys Generate() =>
        new(Key.Create(KeyAgreementAlgorithm.X25519, Exportable()), Key.Create(SignatureAlgorithm.Ed25519, Exportable()));

    /// <summary>The private keys, for storage in the worker's sealed storage only.</summary>
    public byte[] Export()
    {
        var blob = new byte[ExportLength];
        blob[0] = ExportVersion;
        AgreementKey.Export(KeyBlobFormat.RawPrivateKey).CopyTo(blob, 1);
        SigningKey.Export(KeyBlobFormat.RawPrivateKey).CopyTo(blob, 33);
        return blob;
    }

    public static NodeKeys Import(ReadOnlySpan<byte> blob)
    {
        if (blob.Length != ExportLength || blob[0] != ExportVersion)
        {
            throw new CryptographicException($"node keys blob must be {ExportLength} bytes starting with version {ExportVersion}");
        }
        return FromPrivateKeys(blob.Slice(1, 32), blob.Slice(33, 32));
    }

    /// <summary>From raw private keys: the X25519 scalar and the Ed25519 seed.</summary>
    public static NodeKeys FromPrivateKeys(ReadOnlySpan<byte> x25519Private, ReadOnlySpan<byte> ed25519Seed) =>
        new(Key.Import(KeyAgreementAlgorithm.X25519, x25519Private, KeyBlobFormat.RawPrivateKey, Exportable()),
            Key.Import(SignatureAlgorithm.Ed25519, ed25519Seed, KeyBlobFormat.RawPrivateKey, Exportable()));

    /// <summary>REPORTDATA for these keys.</summary>
    public byte[] ReportData() => ComputeReportData(X25519PublicKey, Ed25519PublicKey);

    /// <summary>SHA-512(x25519Pub (32) ‖ ed25519Pub (32)): the 64 bytes a quote's REPORTDATA must hold for these keys.</summary>
    public static byte[] ComputeReportData(ReadOnlySpan<byte> x25519Public, ReadOnlySpan<byte> ed25519Public)
    {
        if (x25519Public.Length != 32 || ed25519Public.Length != 32)
        {
            throw new CryptographicException("X25519 and Ed25519 public keys are 32 bytes each");
        }
        Span<byte> both = stackalloc byte[64];
        x25519Public.CopyTo(both);
        ed25519Public.CopyTo(both[32..]);
        return SHA512.HashData(both);
    }

    /// <summary>X25519 agreements this node has computed (not answered from memory): the count tests and benchmarks read.</summary>
    internal long AgreementsComputed => _agreements.Computed;

    /// <summary>Sender keys whose agreement this node holds in memory now.</summary>
    internal int AgreementsRemembered => _agreements.Count;

    /// <summary>
    /// X25519(this node's key, <paramref name="senderPublic"/>) into <paramref name="shared"/>; false for a low-order key.
    /// With <paramref name="remember"/>, the output for the <see cref="RememberedSenders"/> most recent sender keys is kept
    /// in memory, so a client's reused sender key costs one agreement. A one-time ephemeral key (version 1) is not kept.
    /// </summary>
    internal bool SharedSecret(ReadOnlySpan<byte> senderPublic, Span<byte> shared, bool remember)
    {
        if (senderPublic.Length != 32 || shared.Length != 32) return false;
        if (remember && _agreements.TryGet(senderPublic, shared)) return true;
        Span<byte> scalar = stackalloc byte[32];
        try
        {
            if (!AgreementKey.TryExport(KeyBlobFormat.RawPrivateKey, scalar, out var written) || written != 32)
            {
                throw new InvalidOperationException("the node's X25519 key cannot be read");
            }
            _agreements.Counted();
            if (!Sodium.ScalarMult(shared, scalar, senderPublic)) return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
        if (remember) _agreements.Add(senderPublic, shared);
        return true;
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(SigningKey, data);

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public void Dispose()
    {
        _agreements.Dispose();
        AgreementKey.Dispose();
        SigningKey.Dispose();
    }
}
