using System.Text.Json;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Collateral;

/// <summary>The TDX TCB info (PCS "tcbInfo" v3): per-FMSPC TCB levels, in the order Intel ranks them, and the TDX module identities.</summary>
public sealed class TcbInfo
{
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset IssueDate { get; init; }
    public required DateTimeOffset NextUpdate { get; init; }
    public required byte[] Fmspc { get; init; }
    public required byte[] PceId { get; init; }
    public required IReadOnlyList<TcbLevel> Levels { get; init; }
    public required IReadOnlyList<TdxModuleIdentity> ModuleIdentities { get; init; }
    public TdxModuleIdentity? Module { get; init; }

    public sealed record TcbLevel(byte[] SgxComponents, int PceSvn, byte[] TdxComponents, TcbStatus Status, DateTimeOffset TcbDate, IReadOnlyList<string> AdvisoryIds);

    public sealed record TdxModuleIdentity(string Id, byte[] MrSigner, byte[] Attributes, byte[] AttributesMask, IReadOnlyList<(int IsvSvn, TcbStatus Status)> Levels);

    public static TcbInfo Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            var id = Str(root, "id");
            var version = root.GetProperty("version").GetInt32();
            if (id != "TDX" || version < 3)
            {
                throw new CollateralFormatException($"TCB info is '{id}' v{version}; a TDX quote needs TDX TCB info v3");
            }
            var levels = root.GetProperty("tcbLevels").EnumerateArray().Select(level =>
            {
                var tcb = level.GetProperty("tcb");
                return new TcbLevel(
                    Components(tcb.GetProperty("sgxtcbcomponents")),
                    tcb.GetProperty("pcesvn").GetInt32(),
                    Components(tcb.GetProperty("tdxtcbcomponents")),
                    TcbStatusNames.Parse(Str(level, "tcbStatus")),
                    DateTimeOffset.Parse(Str(level, "tcbDate"), null, System.Globalization.DateTimeStyles.AssumeUniversal),
                    level.TryGetProperty("advisoryIDs", out var a) ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : []);
            }).ToList();
            var modules = root.TryGetProperty("tdxModuleIdentities", out var ids)
                ? ids.EnumerateArray().Select(ParseModule).ToList()
                : [];
            TdxModuleIdentity? module = null;
            if (root.TryGetProperty("tdxModule", out var m))
            {
                module = new TdxModuleIdentity("TDX_00", HexOf(m, "mrsigner"), HexOf(m, "attributes"), HexOf(m, "attributesMask"), []);
            }
            return new TcbInfo
            {
                Id = id, Version = version, IssueDate = Date(root, "issueDate"), NextUpdate = Date(root, "nextUpdate"),
                Fmspc = HexOf(root, "fmspc"), PceId = HexOf(root, "pceId"), Levels = levels, ModuleIdentities = modules, Module = module,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new CollateralFormatException($"malformed TCB info: {e.Message}", e);
        }
    }

    private static TdxModuleIdentity ParseModule(JsonElement e) => new(
        Str(e, "id"), HexOf(e, "mrsigner"), HexOf(e, "attributes"), HexOf(e, "attributesMask"),
        e.GetProperty("tcbLevels").EnumerateArray()
            .Select(l => (l.GetProperty("tcb").GetProperty("isvsvn").GetInt32(), TcbStatusNames.Parse(Str(l, "tcbStatus"))))
            .ToList());

    private static byte[] Components(JsonElement array)
    {
        var svns = array.EnumerateArray().Select(c => checked((byte)c.GetProperty("svn").GetInt32())).ToArray();
        if (svns.Length != 16)
        {
            throw new FormatException($"a TCB level has {svns.Length} components, not 16");
        }
        return svns;
    }

    internal static string Str(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    internal static byte[] HexOf(JsonElement e, string name) => Convert.FromHexString(Str(e, name));

    internal static DateTimeOffset Date(JsonElement e, string name) =>
        DateTimeOffset.Parse(Str(e, name), null, System.Globalization.DateTimeStyles.AssumeUniversal);
}
