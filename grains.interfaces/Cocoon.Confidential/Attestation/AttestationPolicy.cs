using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// What a verifier accepts beyond a genuine quote. Allowlists hold lowercase hex; an absent or empty allowlist means
/// "any". The JSON form is documented in docs/attestation.md.
/// </summary>
public sealed record AttestationPolicy
{
    /// <summary>The worst TCB status accepted, in <see cref="TcbStatus"/> order (UpToDate best).</summary>
    public TcbStatus MinimumTcbStatus { get; init; } = TcbStatus.UpToDate;
    public IReadOnlySet<string>? AllowedMrTd { get; init; }
    public IReadOnlySet<string>? AllowedRtmr0 { get; init; }
    public IReadOnlySet<string>? AllowedRtmr1 { get; init; }
    public IReadOnlySet<string>? AllowedRtmr2 { get; init; }
    public IReadOnlySet<string>? AllowedRtmr3 { get; init; }
    public IReadOnlySet<string>? AllowedImageHashes { get; init; }
    /// <summary>REPORTDATA must bind the keys the evidence presents: SHA-512(x25519Pub ‖ ed25519Pub) for a node, the RA-TLS binding for a certificate.</summary>
    public bool RequireReportDataBinding { get; init; }
    /// <summary>A debuggable TD (attributes bit 0) lets its host read its memory: refused unless this says otherwise.</summary>
    public bool AllowDebug { get; init; }
    /// <summary>Evidence older than this (by its issued-at) is refused; null: no limit.</summary>
    public TimeSpan? MaxEvidenceAge { get; init; }
    /// <summary>Accept quotes from the simulated TEE (dev CA). The dev profile does; production must not.</summary>
    public bool AllowSimulated { get; init; }

    /// <summary>What the CLI uses without --policy: UpToDate, no allowlists, no binding, no age limit, no simulation.</summary>
    public static AttestationPolicy Default { get; } = new();

    /// <summary>The single-machine dev profile: simulated evidence accepted, keys bound, evidence at most a day old.</summary>
    public static AttestationPolicy Development { get; } = new()
    {
        AllowSimulated = true, RequireReportDataBinding = true, MaxEvidenceAge = TimeSpan.FromDays(1),
    };

    public static AttestationPolicy Load(string path) => FromJson(File.ReadAllBytes(path));

    public static AttestationPolicy FromJson(ReadOnlySpan<byte> json)
    {
        PolicyFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyFile);
        }
        catch (JsonException e)
        {
            throw new FormatException($"attestation policy is not valid JSON: {e.Message}", e);
        }
        if (file is null)
        {
            throw new FormatException("attestation policy is empty");
        }
        TimeSpan? maxAge = file.MaxEvidenceAgeSeconds switch
        {
            null => null,
            < 0 => throw new FormatException("maxEvidenceAgeSeconds must not be negative"),
            var s => TimeSpan.FromSeconds(s.Value),
        };
        return new AttestationPolicy
        {
            MinimumTcbStatus = file.MinimumTcbStatus is null ? TcbStatus.UpToDate : TcbStatusNames.Parse(file.MinimumTcbStatus),
            AllowedMrTd = HexSet(file.AllowedMrTd, 48, "allowedMrTd"),
            AllowedRtmr0 = HexSet(file.AllowedRtmr0, 48, "allowedRtmr0"),
            AllowedRtmr1 = HexSet(file.AllowedRtmr1, 48, "allowedRtmr1"),
            AllowedRtmr2 = HexSet(file.AllowedRtmr2, 48, "allowedRtmr2"),
            AllowedRtmr3 = HexSet(file.AllowedRtmr3, 48, "allowedRtmr3"),
            AllowedImageHashes = HexSet(file.AllowedImageHashes, 32, "allowedImageHashes"),
            RequireReportDataBinding = file.RequireReportDataBinding ?? false,
            AllowDebug = file.AllowDebug ?? false,
            MaxEvidenceAge = maxAge,
            AllowSimulated = file.AllowSimulated ?? false,
        };
    }

    private static HashSet<string>? HexSet(string[]? values, int length, string name)
    {
        if (values is null)
        {
            return null;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var hex = value.Trim().ToLowerInvariant();
            if (hex.Length != length * 2 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new FormatException($"{name}: '{value}' is not {length} bytes of hex");
            }
            set.Add(hex);
        }
        return set;
    }

    internal sealed record PolicyFile(
        string? MinimumTcbStatus,
        string[]? AllowedMrTd,
        string[]? AllowedRtmr0,
        string[]? AllowedRtmr1,
        string[]? AllowedRtmr2,
        string[]? AllowedRtmr3,
        string[]? AllowedImageHashes,
        bool? RequireReportDataBinding,
        bool? AllowDebug,
        long? MaxEvidenceAgeSeconds,
        bool? AllowSimulated);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(AttestationPolicy.PolicyFile))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
