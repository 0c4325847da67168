namespace Cocoon.Confidential.RaTls;

/// <summary>
/// Cocoon's RA-TLS certificate extensions. The arc is a UUID OID (ITU-T X.667, <c>2.25.&lt;uuid as integer&gt;</c>, UUID
/// c9f26ef6-1ee2-4613-a12a-b864ab24440e): unique without registration. docs/attestation.md documents the encodings.
/// </summary>
public static class RaTlsOids
{
    public const string Arc = "2.25.268433613557275997390171775299983000590";

    /// <summary>extnValue: OCTET STRING holding the TDX quote (or a simulated one) as produced by the TEE.</summary>
    public const string Quote = Arc + ".1";

    /// <summary>extnValue: SEQUENCE { version INTEGER (1), issuedAt GeneralizedTime, subjectPublicKeyInfo OCTET STRING }.</summary>
    public const string Binding = Arc + ".2";
}
