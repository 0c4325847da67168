using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Simulation;

/// <summary>The QE report fields a built quote carries.</summary>
internal sealed record QeReportFields(byte[] MrSigner, ushort IsvProdId, ushort IsvSvn, byte[] Attributes, uint MiscSelect)
{
    public static QeReportFields Simulated { get; } = new(
        SHA256.HashData(Encoding.ASCII.GetBytes("cocoon simulated qe mrsigner")), 2, 0, new byte[16], 0);
}

/// <summary>
/// Writes a TDX v4 quote in Intel's layout and signs it: the attestation key over header ‖ TD report, the PCK key over a
/// QE report that binds the attestation key, the chain PEM in certification data 6/5. Used by the simulated TEE, and by
/// tests that stand up their own Intel-shaped PKI.
/// </summary>
internal static class QuoteBuilder
{
    public static byte[] Build(
        ECDsa attestationKey, ECDsa pckKey, string chainPem, SimulatedMeasurements m, ReadOnlySpan<byte> reportData,
        ReadOnlySpan<byte> teeTcbSvn, QeReportFields qe, ReadOnlySpan<byte> vendorId)
    {
        if (reportData.Length != 64 || teeTcbSvn.Length != 16 || vendorId.Length != 16)
        {
            throw new ArgumentException("REPORTDATA is 64 bytes, TEE_TCB_SVN and the QE vendor id 16");
        }
        var signed = new byte[48 + TdReport.Td10Size];
        var s = signed.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], TdxQuote.AttestationKeyTypeEcdsaP256);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], TdxQuote.TeeTypeTdx);
        vendorId.CopyTo(s[12..]);
        var body = s[48..];
        teeTcbSvn.CopyTo(body);
        // mr_seam, mr_signer_seam and seam_attributes stay zero, as Intel's own TDX modules have them.
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

        var rawAttestationKey = EcdsaP256.ExportRawPublicKey(attestationKey);
        var signature = EcdsaP256.SignRaw(attestationKey, signed);

        var authData = SHA256.HashData(Encoding.ASCII.GetBytes("cocoon qe auth data"));
        var qeReport = new byte[EnclaveReport.Size];
        var q = qeReport.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(q[16..], qe.MiscSelect);
        qe.Attributes.CopyTo(q[48..64]);
        SHA256.HashData(Encoding.ASCII.GetBytes("cocoon qe mrenclave"), q[64..96]);
        qe.MrSigner.CopyTo(q[128..160]);
        BinaryPrimitives.WriteUInt16LittleEndian(q[256..], qe.IsvProdId);
        BinaryPrimitives.WriteUInt16LittleEndian(q[258..], qe.IsvSvn);
        SHA256.HashData([.. rawAttestationKey, .. authData], q[320..352]);
        var qeSignature = EcdsaP256.SignRaw(pckKey, qeReport);

        var chain = Encoding.ASCII.GetBytes(chainPem);
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
        rawAttestationKey.CopyTo(d[64..]);
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
