using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Simulation;

/// <summary>
/// Produces TDX v4 quotes without TDX, in the real layout: the dev attestation key signs header and TD report; the
/// dev PCK key signs a QE report whose REPORTDATA binds the attestation key; the PCK chain (dev PCK, dev root) rides in
/// certification data type 6/5. The same verifier checks them; only AllowSimulated policies accept them.
/// </summary>
public sealed class SimulatedTee(DevCertificateAuthority ca, SimulatedMeasurements? measurements = null, TimeProvider? time = null) : RaTls.IQuoteSource
{
    /// <summary>QE vendor id of simulated quotes ("CocoonSimulated!"), so a human reading one can tell.</summary>
    public static readonly byte[] SimulatedVendorId = "CocoonSimulated!"u8.ToArray();

    private readonly SimulatedMeasurements _measurements = measurements ?? SimulatedMeasurements.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DevCertificateAuthority CertificateAuthority => ca;

    /// <summary>Evidence for a node's keys: a quote whose REPORTDATA is SHA-512(x25519Pub ‖ ed25519Pub).</summary>
    public Evidence CreateEvidence(NodeKeys keys, long version) =>
        new(CreateQuote(keys.ReportData()), version, _time.GetUtcNow(), keys.X25519PublicKey, keys.Ed25519PublicKey);

    public byte[] CreateQuote(ReadOnlySpan<byte> reportData)
    {
        if (reportData.Length != 64)
        {
            throw new ArgumentException("REPORTDATA is 64 bytes", nameof(reportData));
        }
        var chain = ca.PckCertificate.ExportCertificatePem() + "\n" + ca.RootCertificate.ExportCertificatePem() + "\n";
        return QuoteBuilder.Build(ca.AttestationKey, ca.PckKey, chain, _measurements, reportData, new byte[16], QeReportFields.Simulated, SimulatedVendorId);
    }
}
