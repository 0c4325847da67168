using System.Text.Json;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Collateral;

/// <summary>The TD quoting enclave's identity (PCS "enclaveIdentity" v2, id TD_QE): who may sign QE reports, and its TCB levels by ISVSVN.</summary>
public sealed class QeIdentity
{
    public required string Id { get; init; }
    public required DateTimeOffset IssueDate { get; init; }
    public required DateTimeOffset NextUpdate { get; init; }
    public required uint MiscSelect { get; init; }
    public required uint MiscSelectMask { get; init; }
    public required byte[] Attributes { get; init; }
    public required byte[] AttributesMask { get; init; }
    public required byte[] MrSigner { get; init; }
    public required int IsvProdId { get; init; }
    public required IReadOnlyList<(int IsvSvn, TcbStatus Status)> Levels { get; init; }

    public static QeIdentity Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            return new QeIdentity
            {
                Id = TcbInfo.Str(root, "id"),
                IssueDate = TcbInfo.Date(root, "issueDate"),
                NextUpdate = TcbInfo.Date(root, "nextUpdate"),
                MiscSelect = Convert.ToUInt32(TcbInfo.Str(root, "miscselect"), 16),
                MiscSelectMask = Convert.ToUInt32(TcbInfo.Str(root, "miscselectMask"), 16),
                Attributes = TcbInfo.HexOf(root, "attributes"),
                AttributesMask = TcbInfo.HexOf(root, "attributesMask"),
                MrSigner = TcbInfo.HexOf(root, "mrsigner"),
                IsvProdId = root.GetProperty("isvprodid").GetInt32(),
                Levels = root.GetProperty("tcbLevels").EnumerateArray()
                    .Select(l => (l.GetProperty("tcb").GetProperty("isvsvn").GetInt32(), TcbStatusNames.Parse(TcbInfo.Str(l, "tcbStatus"))))
                    .ToList(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new CollateralFormatException($"malformed QE identity: {e.Message}", e);
        }
    }
}
