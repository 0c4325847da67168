namespace Cocoon.Confidential.Attestation;

/// <summary>The names of the verification steps, stable: policies, logs and the CLI's JSON refer to them.</summary>
public static class AttestationCheckNames
{
    public const string QuoteParse = "quote.parse";
    public const string QuoteSignature = "quote.signature";
    public const string PckChain = "pck.chain";
    public const string QeReportSignature = "qe.report-signature";
    public const string QeBindsAttestationKey = "qe.binds-attestation-key";
    public const string Simulated = "policy.simulated";
    public const string CollateralPresent = "collateral.present";
    public const string RootCrl = "collateral.root-crl";
    public const string PckCrl = "collateral.pck-crl";
    public const string PckRevocation = "pck.revocation";
    public const string TcbInfoCollateral = "collateral.tcb-info";
    public const string QeIdentityCollateral = "collateral.qe-identity";
    public const string Fmspc = "tcb.fmspc";
    public const string QeIdentityMatch = "qe.identity";
    public const string TcbLevel = "tcb.level";
    public const string TdxModule = "tdx.module";
    public const string PolicyTcbStatus = "policy.tcb-status";
    public const string Debug = "policy.debug";
    public const string MrTd = "policy.mrtd";
    public const string Rtmr0 = "policy.rtmr0";
    public const string Rtmr1 = "policy.rtmr1";
    public const string Rtmr2 = "policy.rtmr2";
    public const string Rtmr3 = "policy.rtmr3";
    public const string ImageHash = "policy.image-hash";
    public const string ReportData = "policy.report-data";
    public const string EvidenceAge = "policy.evidence-age";
    /// <summary>RA-TLS: the certificate carries readable Cocoon RA-TLS extensions for its own key, and is within its validity.</summary>
    public const string RaTlsCertificate = "ra-tls.certificate";
}
