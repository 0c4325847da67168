using System.Text;
using System.Text.Json;

namespace Cocoon.Confidential.Collateral;

/// <summary>Reads collateral from the two on-disk shapes: one JSON document, or a folder of PCS responses and issuer chains.</summary>
public static class CollateralLoader
{
    /// <summary>File names the folder shape recognizes (case-insensitive, matched as name fragments so prefixes such as "google-" are fine).</summary>
    public const string TcbInfoName = "tcbinfo";
    public const string QeIdentityName = "qeidentity";
    public const string PckCrlName = "pckcrl";
    public const string RootCrlName = "rootcrl";
    public const string IssuerChainSuffix = "-issuer-chain";

    /// <summary>Loads a file (the JSON shape) or a folder (PCS responses).</summary>
    public static QuoteCollateral Load(string path)
    {
        if (Directory.Exists(path))
        {
            return FromFolder(path);
        }
        if (File.Exists(path))
        {
            return FromJson(File.ReadAllBytes(path));
        }
        throw new CollateralFormatException($"collateral '{path}' is neither a file nor a folder");
    }

    /// <summary>
    /// The single-document shape: <c>pck_crl_issuer_chain</c>, <c>root_ca_crl</c> (hex), <c>pck_crl</c> (hex),
    /// <c>tcb_info_issuer_chain</c>, <c>tcb_info</c> (the tcbInfo object's JSON text), <c>tcb_info_signature</c> (hex),
    /// <c>qe_identity_issuer_chain</c>, <c>qe_identity</c>, <c>qe_identity_signature</c>.
    /// </summary>
    public static QuoteCollateral FromJson(ReadOnlyMemory<byte> json)
    {
        string Get(string name) => RawJson.String(json, name);
        return new QuoteCollateral(
            PckCrlIssuerChain: Get("pck_crl_issuer_chain"),
            RootCaCrl: Hex(Get("root_ca_crl"), "root_ca_crl"),
            PckCrl: Hex(Get("pck_crl"), "pck_crl"),
            TcbInfoIssuerChain: Get("tcb_info_issuer_chain"),
            TcbInfoJson: Encoding.UTF8.GetBytes(Get("tcb_info")),
            TcbInfoSignature: Hex(Get("tcb_info_signature"), "tcb_info_signature"),
            QeIdentityIssuerChain: Get("qe_identity_issuer_chain"),
            QeIdentityJson: Encoding.UTF8.GetBytes(Get("qe_identity")),
            QeIdentitySignature: Hex(Get("qe_identity_signature"), "qe_identity_signature"));
    }

    /// <summary>
    /// The folder shape: a TCB info response (<c>{"tcbInfo":…,"signature":…}</c>), a QE identity response
    /// (<c>{"enclaveIdentity":…,"signature":…}</c>), the PCK CRL and root CA CRL (DER, PEM or hex), and the three issuer
    /// chains PCS sends in headers, in files whose names contain tcbinfo, qeidentity, pckcrl, rootcrl and
    /// tcbinfo-issuer-chain, qeidentity-issuer-chain, pckcrl-issuer-chain.
    /// </summary>
    public static QuoteCollateral FromFolder(string folder)
    {
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Select(f => (Path: f, Name: Path.GetFileName(f).ToLowerInvariant())).ToList();
        byte[] Find(string fragment, bool chain)
        {
            var matches = files.Where(f => f.Name.Contains(fragment + (chain ? IssuerChainSuffix : ""))
                && (chain || !f.Name.Contains(IssuerChainSuffix))).ToList();
            return matches.Count switch
            {
                1 => File.ReadAllBytes(matches[0].Path),
                0 => throw new CollateralFormatException($"folder '{folder}' has no file named like '*{fragment}{(chain ? IssuerChainSuffix : "")}*'"),
                _ => throw new CollateralFormatException($"folder '{folder}' has several files named like '*{fragment}{(chain ? IssuerChainSuffix : "")}*'"),
            };
        }
        return FromPcsResponses(
            tcbInfoResponse: Find(TcbInfoName, false),
            tcbInfoIssuerChain: Encoding.UTF8.GetString(Find(TcbInfoName, true)),
            qeIdentityResponse: Find(QeIdentityName, false),
            qeIdentityIssuerChain: Encoding.UTF8.GetString(Find(QeIdentityName, true)),
            pckCrl: Find(PckCrlName, false),
            pckCrlIssuerChain: Encoding.UTF8.GetString(Find(PckCrlName, true)),
            rootCaCrl: Find(RootCrlName, false));
    }

    /// <summary>Assembles collateral from PCS response bodies and their (URL-decoded) issuer-chain headers.</summary>
    public static QuoteCollateral FromPcsResponses(
        byte[] tcbInfoResponse, string tcbInfoIssuerChain, byte[] qeIdentityResponse, string qeIdentityIssuerChain,
        byte[] pckCrl, string pckCrlIssuerChain, byte[] rootCaCrl) =>
        new(
            PckCrlIssuerChain: pckCrlIssuerChain,
            RootCaCrl: rootCaCrl,
            PckCrl: pckCrl,
            TcbInfoIssuerChain: tcbInfoIssuerChain,
            TcbInfoJson: RawJson.Property(tcbInfoResponse, "tcbInfo").ToArray(),
            TcbInfoSignature: Hex(RawJson.String(tcbInfoResponse, "signature"), "tcbInfo signature"),
            QeIdentityIssuerChain: qeIdentityIssuerChain,
            QeIdentityJson: RawJson.Property(qeIdentityResponse, "enclaveIdentity").ToArray(),
            QeIdentitySignature: Hex(RawJson.String(qeIdentityResponse, "signature"), "enclaveIdentity signature"));

    /// <summary>Writes collateral in the single-document shape (what <c>cocoon attest</c> and the PCS cache read back).</summary>
    public static byte[] ToJson(QuoteCollateral c)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("pck_crl_issuer_chain", c.PckCrlIssuerChain);
            w.WriteString("root_ca_crl", Convert.ToHexStringLower(c.RootCaCrl));
            w.WriteString("pck_crl", Convert.ToHexStringLower(c.PckCrl));
            w.WriteString("tcb_info_issuer_chain", c.TcbInfoIssuerChain);
            w.WriteString("tcb_info", Encoding.UTF8.GetString(c.TcbInfoJson));
            w.WriteString("tcb_info_signature", Convert.ToHexStringLower(c.TcbInfoSignature));
            w.WriteString("qe_identity_issuer_chain", c.QeIdentityIssuerChain);
            w.WriteString("qe_identity", Encoding.UTF8.GetString(c.QeIdentityJson));
            w.WriteString("qe_identity_signature", Convert.ToHexStringLower(c.QeIdentitySignature));
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static byte[] Hex(string text, string what)
    {
        try
        {
            return Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            throw new CollateralFormatException($"{what} is not hex");
        }
    }
}
