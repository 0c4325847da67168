using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's TCB (16 component SVNs,
/// PCESVN, CPUSVN), PCE-ID and FMSPC. Layout per Intel's "SGX PCK Certificate and CRL Profile".
/// </summary>
public sealed class PckExtension
{
    public const string Oid = "1.2.840.113741.1.13.1";
    private const string TcbOid = Oid + ".2";
    private const string PceIdOid = Oid + ".3";
    private const string FmspcOid = Oid + ".4";
    private const string SgxTypeOid = Oid + ".5";

    public required byte[] TcbComponentSvns { get; init; }
    public required int PceSvn { get; init; }
    public required byte[] CpuSvn { get; init; }
    public required byte[] PceId { get; init; }
    public required byte[] Fmspc { get; init; }
    public int SgxType { get; init; }

    public static PckExtension FromCertificate(X509Certificate2 pck)
    {
        var extension = pck.Extensions[Oid]
            ?? throw new CryptographicException($"certificate '{pck.Subject}' has no Intel SGX extension ({Oid})");
        return Parse(extension.RawData);
    }

    public static PckExtension Parse(byte[] der)
    {
        try
        {
            var svns = new byte[16];
            int? pceSvn = null;
            byte[]? cpuSvn = null, pceId = null, fmspc = null;
            var sgxType = 0;
            var seq = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            while (seq.HasData)
            {
                var item = seq.ReadSequence();
                var oid = item.ReadObjectIdentifier();
                switch (oid)
                {
                    case TcbOid:
                        var tcb = item.ReadSequence();
                        while (tcb.HasData)
                        {
                            var component = tcb.ReadSequence();
                            var componentOid = component.ReadObjectIdentifier();
                            var index = int.Parse(componentOid.AsSpan(TcbOid.Length + 1));
                            if (index is >= 1 and <= 16)
                            {
                                svns[index - 1] = checked((byte)(int)component.ReadInteger());
                            }
                            else if (index == 17)
                            {
                                pceSvn = checked((int)component.ReadInteger());
                            }
                            else if (index == 18)
                            {
                                cpuSvn = component.ReadOctetString();
                            }
                        }
                        break;
                    case PceIdOid:
                        pceId = item.ReadOctetString();
                        break;
                    case FmspcOid:
                        fmspc = item.ReadOctetString();
                        break;
                    case SgxTypeOid:
                        sgxType = (int)item.ReadEnumeratedValue<SgxTypeValue>();
                        break;
                }
            }
            if (pceSvn is null || fmspc is null || pceId is null)
            {
                throw new CryptographicException("Intel SGX extension lacks PCESVN, PCE-ID or FMSPC");
            }
            return new PckExtension
            {
                TcbComponentSvns = svns, PceSvn = pceSvn.Value, CpuSvn = cpuSvn ?? svns, PceId = pceId, Fmspc = fmspc, SgxType = sgxType,
            };
        }
        catch (Exception e) when (e is AsnContentException or FormatException or OverflowException)
        {
            throw new CryptographicException($"malformed Intel SGX extension: {e.Message}");
        }
    }

    /// <summary>Builds the extension payload; the simulated TEE's dev PCK certificates carry one so the same parser reads them.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> componentSvns, int pceSvn, ReadOnlySpan<byte> pceId, ReadOnlySpan<byte> fmspc)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Oid + ".1");
                w.WriteOctetString(new byte[16]);
            }
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(TcbOid);
                using (w.PushSequence())
                {
                    for (var i = 0; i < 16; i++)
                    {
                        using (w.PushSequence())
                        {
                            w.WriteObjectIdentifier($"{TcbOid}.{i + 1}");
                            w.WriteInteger(componentSvns[i]);
                        }
                    }
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier($"{TcbOid}.17");
                        w.WriteInteger(pceSvn);
                    }
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier($"{TcbOid}.18");
                        w.WriteOctetString(componentSvns);
                    }
                }
            }
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(PceIdOid);
                w.WriteOctetString(pceId);
            }
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(FmspcOid);
                w.WriteOctetString(fmspc);
            }
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(SgxTypeOid);
                w.WriteEnumeratedValue(SgxTypeValue.Standard);
            }
        }
        return w.Encode();
    }

    private enum SgxTypeValue
    {
        Standard = 0,
        Scalable = 1,
        ScalableWithIntegrity = 2,
    }
}
