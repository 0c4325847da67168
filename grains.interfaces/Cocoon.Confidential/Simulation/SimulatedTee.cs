using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Simulation;

/// <summary>
/// Produces TDX v4 quotes without TDX, in the real layout: the dev attestation key signs header and TD report; the
/// dev PCK key signs a QE report whose REPORTDATA binds the attestation key; the PCK chain (dev PCK, dev root) rides in
/// certification data type 6/5. The same verifier checks them; only AllowSimulated policies accept them.
/// </summary>
public sealed class SimulatedTee(DevCertificateAuthority ca, SimulatedMeasurements? measurements = null, TimeProvider? time = null)
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
        var m = _measurements;
        var signed = new byte[48 + TdReport.Td10Size];
        var s = signed.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], TdxQuote.AttestationKeyTypeEcdsaP256);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], TdxQuote.TeeTypeTdx);
        SimulatedVendorId.CopyTo(s[12..]);
        var body = s[48..];
        // tee_tcb_svn, mr_seam, mr_signer_seam, seam_attributes stay zero: there is no TDX module.
        body[120] = m.Debug ? (byte)1 : (byte)0; // td_attributes bit 0
        Put(body, 136, m.MrTd);
        Put(body, 184, m.MrConfigId);
        Put(body, 232, m.MrOwner);
        Put(body, 280, m.MrOwnerConfig);
        for (var i = 0; i < 4; i++)
        {
            Put(body, 328 + 48 * i, m.Rtmrs[i]);
        }
        reportData.CopyTo(body[520..]);

        var attestationKey = EcdsaP256.ExportRawPublicKey(ca.AttestationKey);
        var signature = EcdsaP256.SignRaw(ca.AttestationKey, signed);

        var authData = SHA256.HashData(Encoding.ASCII.GetBytes("cocoon simulated qe auth data"));
        var qeReport = new byte[EnclaveReport.Size];
        var q = qeReport.AsSpan();
        SHA256.HashData(Encoding.ASCII.GetBytes("cocoon simulated qe mrenclave"), q[64..96]);
        SHA256.HashData(Encoding.ASCII.GetBytes("cocoon simulated qe mrsigner"), q[128..160]);
        BinaryPrimitives.WriteUInt16LittleEndian(q[256..], 2);
        SHA256.HashData([.. attestationKey, .. authData], q[320..352]);
        var qeSignature = EcdsaP256.SignRaw(ca.PckKey, qeReport);

        var chain = Encoding.ASCII.GetBytes(ca.PckCertificate.ExportCertificatePem() + "\n" + ca.RootCertificate.ExportCertificatePem() + "\n");
        var certData = new byte[EnclaveReport.Size + 64 + 2 + authData.Length + 2 + 4 + chain.Length];
        var c = certData.AsSpan();
        qeReport.CopyTo(c);
        qeSignature.CopyTo(c[384..]);
        BinaryPrimitives.WriteUInt16LittleEndian(c[448..], (ushort)authData.Length);
        authData.CopyTo(c[450..]);
        var o = 450 + authData.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(c[o..], 5);
        BinaryPrimitives.WriteUInt32LittleEndian(c[(o + 2)..], (uint)chain.Length);
        chain.CopyTo(c[(o + 6)..]);

        var sigData = new byte[64 + 64 + 2 + 4 + certData.Length];
        var d = sigData.AsSpan();
        signature.CopyTo(d);
        attestationKey.CopyTo(d[64..]);
        BinaryPrimitives.WriteUInt16LittleEndian(d[128..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(d[130..], (uint)certData.Length);
        certData.CopyTo(d[134..]);

        var quote = new byte[signed.Length + 4 + sigData.Length];
        signed.CopyTo(quote, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(quote.AsSpan(signed.Length), (uint)sigData.Length);
        sigData.CopyTo(quote, signed.Length + 4);
        return quote;
    }

    private static void Put(Span<byte> body, int offset, byte[] value)
    {
        if (value.Length != 48)
        {
            throw new ArgumentException("TD measurements are 48 bytes");
        }
        value.CopyTo(body[offset..]);
    }
}
