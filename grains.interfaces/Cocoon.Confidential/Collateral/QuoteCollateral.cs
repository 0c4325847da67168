namespace Cocoon.Confidential.Collateral;

/// <summary>
/// What DCAP verification needs beside the quote, as Intel PCS / PCCS serve it. <see cref="TcbInfoJson"/> and
/// <see cref="QeIdentityJson"/> are the exact bytes of the <c>tcbInfo</c> / <c>enclaveIdentity</c> objects, because
/// the signatures are over those bytes; signatures are hex r‖s as served, decoded here to 64 bytes.
/// </summary>
public sealed record QuoteCollateral(
    string PckCrlIssuerChain,
    byte[] RootCaCrl,
    byte[] PckCrl,
    string TcbInfoIssuerChain,
    byte[] TcbInfoJson,
    byte[] TcbInfoSignature,
    string QeIdentityIssuerChain,
    byte[] QeIdentityJson,
    byte[] QeIdentitySignature);
