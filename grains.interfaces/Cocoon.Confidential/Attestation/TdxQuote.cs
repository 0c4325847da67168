using System.Text;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// A parsed Intel TDX quote (v4 or v5) with ECDSA-P256 signature data and certification data type 6
/// (QE report, its signature, QE auth data and a nested type-5 PCK certificate chain). Lengths are read
/// from the quote; bytes after the declared signature data (padding) are ignored.
/// </summary>
public sealed class TdxQuote
{
    public const ushort AttestationKeyTypeEcdsaP256 = 2;
    public const uint TeeTypeTdx = 0x81;
    private const ushort CertificationDataQeReport = 6;
    private const ushort CertificationDataPckChain = 5;

    public required ushort Version { get; init; }
    public required ushort AttestationKeyType { get; init; }
    public required uint TeeType { get; init; }
    public required ushort QeSvn { get; init; }
    public required ushort PceSvn { get; init; }
    public required byte[] QeVendorId { get; init; }
    public required byte[] UserData { get; init; }
    /// <summary>v5 body type (2 = TD 1.0, 3 = TD 1.5); 2 for v4 quotes.</summary>
    public required ushort BodyType { get; init; }
    public required TdReport Report { get; init; }
    /// <summary>The bytes the attestation key signs: header and body (for v5, with the body type and size).</summary>
    public required byte[] SignedData { get; init; }
    /// <summary>ECDSA P-256 signature r‖s over <see cref="SignedData"/>.</summary>
    public required byte[] Signature { get; init; }
    /// <summary>The attestation public key X‖Y (64 bytes).</summary>
    public required byte[] AttestationKey { get; init; }
    public required EnclaveReport QeReport { get; init; }
    public required byte[] QeReportSignature { get; init; }
    public required byte[] QeAuthData { get; init; }
    /// <summary>The PCK certificate chain, PEM, leaf first (as the quote carries it).</summary>
    public required string PckChainPem { get; init; }
    /// <summary>How many bytes the quote declared; the rest of the input was padding.</summary>
    public required int DeclaredLength { get; init; }

    public static TdxQuote Parse(ReadOnlySpan<byte> quote)
    {
        var r = new QuoteReader(quote);
        var version = r.U16("header version");
        if (version is not (4 or 5))
        {
            throw new QuoteFormatException($"unsupported quote version {version} (expected 4 or 5)");
        }
        var keyType = r.U16("header attestation key type");
        if (keyType != AttestationKeyTypeEcdsaP256)
        {
            throw new QuoteFormatException($"unsupported attestation key type {keyType} (expected 2, ECDSA-P256)");
        }
        var teeType = r.U32("header tee type");
        if (teeType != TeeTypeTdx)
        {
            throw new QuoteFormatException($"tee type 0x{teeType:x} is not TDX (0x81)");
        }
        var qeSvn = r.U16("header qe svn");
        var pceSvn = r.U16("header pce svn");
        var vendor = r.Bytes(16, "header qe vendor id").ToArray();
        var userData = r.Bytes(20, "header user data").ToArray();

        ushort bodyType = 2;
        bool td15 = false;
        ReadOnlySpan<byte> body;
        if (version == 4)
        {
            body = r.Bytes(TdReport.Td10Size, "td report");
        }
        else
        {
            bodyType = r.U16("v5 body type");
            var bodySize = r.U32("v5 body size");
            (td15, var expected) = bodyType switch
            {
                2 => (false, TdReport.Td10Size),
                3 => (true, TdReport.Td15Size),
                _ => throw new QuoteFormatException($"unsupported v5 body type {bodyType} (expected 2 = TD 1.0 or 3 = TD 1.5)"),
            };
            if (bodySize != expected)
            {
                throw new QuoteFormatException($"v5 body size {bodySize} does not match body type {bodyType} ({expected})");
            }
            body = r.Bytes(expected, "td report");
        }
        var report = TdReport.Parse(body, td15);
        var signedData = quote[..r.Position].ToArray();

        var sigDataLength = r.Length32("signature data length");
        var sigStart = r.Position;
        var s = new QuoteReader(r.Bytes(sigDataLength, "signature data"), sigStart);
        var signature = s.Bytes(64, "quote signature").ToArray();
        var attestationKey = s.Bytes(64, "attestation key").ToArray();
        var certType = s.U16("certification data type");
        if (certType != CertificationDataQeReport)
        {
            throw new QuoteFormatException($"certification data type {certType} is not supported (expected 6, QE report)");
        }
        var certSize = s.Length32("certification data size");
        var c = new QuoteReader(s.Bytes(certSize, "certification data"), sigStart + s.Position - certSize);
        var qeReport = EnclaveReport.Parse(c.Bytes(EnclaveReport.Size, "qe report"));
        var qeReportSignature = c.Bytes(64, "qe report signature").ToArray();
        var authLength = c.U16("qe auth data length");
        var authData = c.Bytes(authLength, "qe auth data").ToArray();
        var innerType = c.U16("nested certification data type");
        if (innerType != CertificationDataPckChain)
        {
            throw new QuoteFormatException($"nested certification data type {innerType} is not supported (expected 5, PCK chain)");
        }
        var innerSize = c.Length32("nested certification data size");
        var chainBytes = c.Bytes(innerSize, "pck certificate chain");
        string chain;
        try
        {
            chain = new UTF8Encoding(false, true).GetString(chainBytes.TrimEnd((byte)0));
        }
        catch (DecoderFallbackException)
        {
            throw new QuoteFormatException("pck certificate chain is not valid UTF-8 PEM");
        }

        return new TdxQuote
        {
            Version = version, AttestationKeyType = keyType, TeeType = teeType, QeSvn = qeSvn, PceSvn = pceSvn,
            QeVendorId = vendor, UserData = userData, BodyType = bodyType, Report = report, SignedData = signedData,
            Signature = signature, AttestationKey = attestationKey, QeReport = qeReport,
            QeReportSignature = qeReportSignature, QeAuthData = authData, PckChainPem = chain,
            DeclaredLength = sigStart + sigDataLength,
        };
    }

    public static bool TryParse(ReadOnlySpan<byte> quote, out TdxQuote? parsed, out string? error)
    {
        try
        {
            parsed = Parse(quote);
            error = null;
            return true;
        }
        catch (QuoteFormatException e)
        {
            parsed = null;
            error = e.Message;
            return false;
        }
    }
}
