using System.Security.Cryptography;

namespace Cocoon.Confidential.Attestation;

/// <summary>The TD report body of a TDX quote: TD 1.0 (584 bytes) or TD 1.5 (648 bytes, adds TEE_TCB_SVN2 and MR_SERVICETD).</summary>
public sealed class TdReport
{
    public const int Td10Size = 584;
    public const int Td15Size = 648;

    public required byte[] TeeTcbSvn { get; init; }
    public required byte[] MrSeam { get; init; }
    public required byte[] MrSignerSeam { get; init; }
    public required byte[] SeamAttributes { get; init; }
    public required byte[] TdAttributes { get; init; }
    public required byte[] Xfam { get; init; }
    public required byte[] MrTd { get; init; }
    public required byte[] MrConfigId { get; init; }
    public required byte[] MrOwner { get; init; }
    public required byte[] MrOwnerConfig { get; init; }
    /// <summary>RTMR0..RTMR3, 48 bytes each.</summary>
    public required IReadOnlyList<byte[]> Rtmrs { get; init; }
    public required byte[] ReportData { get; init; }
    /// <summary>TD 1.5 only; null for TD 1.0.</summary>
    public byte[]? TeeTcbSvn2 { get; init; }
    /// <summary>TD 1.5 only; null for TD 1.0.</summary>
    public byte[]? MrServiceTd { get; init; }

    /// <summary>TD attributes bit 0 (TUD.DEBUG): a debuggable TD's memory is readable by the host.</summary>
    public bool IsDebug => (TdAttributes[0] & 1) != 0;

    /// <summary>
    /// COCOON's image hash: SHA-256 over mr_td‖mr_config_id‖mr_owner‖mr_owner_config‖rtmr0‖rtmr1‖rtmr2‖rtmr3‖64 zero bytes
    /// (the zero block stands where COCOON reserves room for report data that is not part of the image).
    /// </summary>
    public byte[] ComputeImageHash()
    {
        Span<byte> buffer = stackalloc byte[48 * 8 + 64];
        buffer.Clear();
        MrTd.CopyTo(buffer);
        MrConfigId.CopyTo(buffer[48..]);
        MrOwner.CopyTo(buffer[96..]);
        MrOwnerConfig.CopyTo(buffer[144..]);
        for (var i = 0; i < 4; i++)
        {
            Rtmrs[i].CopyTo(buffer[(192 + 48 * i)..]);
        }
        return SHA256.HashData(buffer);
    }

    internal static TdReport Parse(ReadOnlySpan<byte> body, bool td15)
    {
        var r = new QuoteReader(body);
        var svn = r.Bytes(16, "tee_tcb_svn").ToArray();
        var mrSeam = r.Bytes(48, "mr_seam").ToArray();
        var mrSignerSeam = r.Bytes(48, "mr_signer_seam").ToArray();
        var seamAttributes = r.Bytes(8, "seam_attributes").ToArray();
        var tdAttributes = r.Bytes(8, "td_attributes").ToArray();
        var xfam = r.Bytes(8, "xfam").ToArray();
        var mrTd = r.Bytes(48, "mr_td").ToArray();
        var mrConfigId = r.Bytes(48, "mr_config_id").ToArray();
        var mrOwner = r.Bytes(48, "mr_owner").ToArray();
        var mrOwnerConfig = r.Bytes(48, "mr_owner_config").ToArray();
        var rtmrs = new byte[4][];
        for (var i = 0; i < 4; i++)
        {
            rtmrs[i] = r.Bytes(48, $"rtmr{i}").ToArray();
        }
        var reportData = r.Bytes(64, "report_data").ToArray();
        byte[]? svn2 = null, mrServiceTd = null;
        if (td15)
        {
            svn2 = r.Bytes(16, "tee_tcb_svn2").ToArray();
            mrServiceTd = r.Bytes(48, "mr_servicetd").ToArray();
        }
        return new TdReport
        {
            TeeTcbSvn = svn, MrSeam = mrSeam, MrSignerSeam = mrSignerSeam, SeamAttributes = seamAttributes,
            TdAttributes = tdAttributes, Xfam = xfam, MrTd = mrTd, MrConfigId = mrConfigId, MrOwner = mrOwner,
            MrOwnerConfig = mrOwnerConfig, Rtmrs = rtmrs, ReportData = reportData, TeeTcbSvn2 = svn2, MrServiceTd = mrServiceTd,
        };
    }
}
