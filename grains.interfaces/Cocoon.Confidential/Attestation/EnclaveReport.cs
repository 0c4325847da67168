namespace Cocoon.Confidential.Attestation;

/// <summary>An SGX enclave report body (384 bytes): here, the quoting enclave's report inside the quote's signature data.</summary>
public sealed class EnclaveReport
{
    public const int Size = 384;

    public required byte[] Raw { get; init; }
    public required byte[] CpuSvn { get; init; }
    public required uint MiscSelect { get; init; }
    public required byte[] Attributes { get; init; }
    public required byte[] MrEnclave { get; init; }
    public required byte[] MrSigner { get; init; }
    public required ushort IsvProdId { get; init; }
    public required ushort IsvSvn { get; init; }
    public required byte[] ReportData { get; init; }

    internal static EnclaveReport Parse(ReadOnlySpan<byte> raw)
    {
        var r = new QuoteReader(raw);
        var cpuSvn = r.Bytes(16, "qe cpusvn").ToArray();
        var miscSelect = r.U32("qe miscselect");
        r.Bytes(28, "qe reserved1");
        var attributes = r.Bytes(16, "qe attributes").ToArray();
        var mrEnclave = r.Bytes(32, "qe mrenclave").ToArray();
        r.Bytes(32, "qe reserved2");
        var mrSigner = r.Bytes(32, "qe mrsigner").ToArray();
        r.Bytes(96, "qe reserved3");
        var prodId = r.U16("qe isvprodid");
        var svn = r.U16("qe isvsvn");
        r.Bytes(60, "qe reserved4");
        var reportData = r.Bytes(64, "qe report_data").ToArray();
        return new EnclaveReport
        {
            Raw = raw.ToArray(), CpuSvn = cpuSvn, MiscSelect = miscSelect, Attributes = attributes, MrEnclave = mrEnclave,
            MrSigner = mrSigner, IsvProdId = prodId, IsvSvn = svn, ReportData = reportData,
        };
    }
}
