using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;

namespace Cocoon.Cli.Attest;

/// <summary>
/// <c>cocoon attest verify QUOTE [--collateral PATH] [--at ISO-8601] [--policy FILE] [--dev-ca DIR] [--json]</c>:
/// offline DCAP verification of a TDX quote. Exit code 0 only when the quote passes; 1 when it is rejected (collateral
/// missing included); 2 when an input cannot be read.
/// </summary>
public static class AttestCommand
{
    public const int ExitVerified = 0;
    public const int ExitRejected = 1;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var attest = new Command("attest", "Attestation: verify TDX quotes offline");
        attest.Subcommands.Add(CreateVerify());
        return attest;
    }

    private static Command CreateVerify()
    {
        var quote = new Argument<FileInfo>("QUOTE") { Description = "The TDX quote (binary, v4 or v5)" };
        var collateral = new Option<string?>("--collateral")
        {
            Description = "Collateral: a JSON file shaped like phala.collateral.json, or a folder of PCS responses and issuer chains",
        };
        var at = new Option<string?>("--at") { Description = "Verify as of this instant (ISO-8601); default: now" };
        var policy = new Option<FileInfo?>("--policy") { Description = "Attestation policy JSON (docs/attestation.md); default: UpToDate, no allowlists" };
        var devCa = new Option<DirectoryInfo?>("--dev-ca") { Description = "Also pin the dev root CA found in this folder (simulated TEE quotes)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };

        var verify = new Command("verify", "Verify a TDX quote against collateral and a policy, offline");
        verify.Arguments.Add(quote);
        verify.Options.Add(collateral);
        verify.Options.Add(at);
        verify.Options.Add(policy);
        verify.Options.Add(devCa);
        verify.Options.Add(json);
        verify.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var request = new VerifyRequest(
                    parse.GetRequiredValue(quote), parse.GetValue(collateral), parse.GetValue(at), parse.GetValue(policy), parse.GetValue(devCa));
                var result = Run(request, out var collateralMissing);
                if (parse.GetValue(json))
                {
                    output.WriteLine(ToJson(result, collateralMissing));
                }
                else
                {
                    WriteText(output, result, collateralMissing);
                }
                return result.Verified ? ExitVerified : ExitRejected;
            }
            catch (InputException e)
            {
                error.WriteLine($"error: {e.Message}");
                if (parse.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["verdict"] = "error", ["error"] = e.Message }));
                }
                return ExitBadInput;
            }
        });
        return verify;
    }

    private sealed record VerifyRequest(FileInfo Quote, string? Collateral, string? At, FileInfo? Policy, DirectoryInfo? DevCa);

    private sealed class InputException(string message) : Exception(message);

    private static AttestationResult Run(VerifyRequest request, out bool collateralMissing)
    {
        var quoteBytes = Read(request.Quote.FullName, "quote");
        DateTimeOffset at = DateTimeOffset.UtcNow;
        if (request.At is not null
            && !DateTimeOffset.TryParse(request.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            throw new InputException($"--at '{request.At}' is not an ISO-8601 instant");
        }
        var policy = AttestationPolicy.Default;
        if (request.Policy is not null)
        {
            try
            {
                policy = AttestationPolicy.FromJson(Read(request.Policy.FullName, "policy"));
            }
            catch (FormatException e)
            {
                throw new InputException($"policy '{request.Policy.FullName}': {e.Message}");
            }
        }
        QuoteCollateral? collateral = null;
        if (request.Collateral is not null)
        {
            try
            {
                collateral = CollateralLoader.Load(request.Collateral);
            }
            catch (Exception e) when (e is CollateralFormatException or IOException or UnauthorizedAccessException)
            {
                throw new InputException($"collateral '{request.Collateral}': {e.Message}");
            }
        }
        var anchors = TrustAnchors.IntelOnly;
        if (request.DevCa is not null)
        {
            var rootPath = Path.Combine(request.DevCa.FullName, Confidential.Simulation.DevCertificateAuthority.RootCertificateFile);
            try
            {
                anchors = new TrustAnchors([TrustAnchors.KeyIdOf(CertificateChain.ParsePem(File.ReadAllText(rootPath), "dev root")[0])]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or FormatException)
            {
                throw new InputException($"dev CA root '{rootPath}': {e.Message}");
            }
        }
        collateralMissing = collateral is null;
        return new QuoteVerifier(anchors).Verify(quoteBytes, collateral, policy, at,
            collateralUnavailable: collateral is null ? "no --collateral given" : null);
    }

    private static byte[] Read(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {what} '{path}': {e.Message}");
        }
    }

    internal static string ToJson(AttestationResult result, bool collateralMissing)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("verdict", result.Verified ? "verified" : "rejected");
            if (result.FailureReason is { } reason)
            {
                w.WriteString("reason", reason);
            }
            w.WriteBoolean("collateralMissing", collateralMissing && result.Check(AttestationCheckNames.CollateralPresent)?.Outcome == CheckOutcome.Fail);
            if (result.TcbStatus is { } status)
            {
                w.WriteString("tcbStatus", status.ToString());
            }
            else
            {
                w.WriteNull("tcbStatus");
            }
            w.WriteBoolean("simulated", result.Simulated);
            if (result.Quote is { } quote)
            {
                var r = quote.Report;
                w.WriteNumber("quoteVersion", quote.Version);
                w.WriteNumber("bodyType", quote.BodyType);
                w.WriteString("mrTd", Hex(r.MrTd));
                w.WriteStartArray("rtmrs");
                foreach (var rtmr in r.Rtmrs)
                {
                    w.WriteStringValue(Hex(rtmr));
                }
                w.WriteEndArray();
                w.WriteString("reportData", Hex(r.ReportData));
                w.WriteString("imageHash", Hex(result.ImageHash!));
                w.WriteString("mrConfigId", Hex(r.MrConfigId));
                w.WriteString("mrOwner", Hex(r.MrOwner));
                w.WriteString("mrOwnerConfig", Hex(r.MrOwnerConfig));
                w.WriteString("mrSeam", Hex(r.MrSeam));
                w.WriteString("mrSignerSeam", Hex(r.MrSignerSeam));
                w.WriteString("teeTcbSvn", Hex(r.TeeTcbSvn));
                w.WriteString("tdAttributes", Hex(r.TdAttributes));
                w.WriteString("xfam", Hex(r.Xfam));
                w.WriteBoolean("debug", r.IsDebug);
                if (r.TeeTcbSvn2 is not null)
                {
                    w.WriteString("teeTcbSvn2", Hex(r.TeeTcbSvn2));
                    w.WriteString("mrServiceTd", Hex(r.MrServiceTd!));
                }
            }
            w.WriteString("verifiedAt", result.VerifiedAt.ToString("O", CultureInfo.InvariantCulture));
            w.WriteStartArray("checks");
            foreach (var check in result.Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", check.Name);
                w.WriteString("result", check.Outcome.ToString().ToLowerInvariant());
                w.WriteString("detail", check.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteText(TextWriter output, AttestationResult result, bool collateralMissing)
    {
        output.WriteLine($"verdict:     {(result.Verified ? "verified" : "rejected")}");
        if (result.FailureReason is { } reason)
        {
            output.WriteLine($"reason:      {reason}");
        }
        output.WriteLine($"tcb status:  {result.TcbStatus?.ToString() ?? "-"}{(result.Simulated ? " (simulated)" : "")}");
        if (result.Quote is { } quote)
        {
            output.WriteLine($"quote:       v{quote.Version}, body type {quote.BodyType}");
            output.WriteLine($"mr_td:       {Hex(quote.Report.MrTd)}");
            for (var i = 0; i < 4; i++)
            {
                output.WriteLine($"rtmr{i}:       {Hex(quote.Report.Rtmrs[i])}");
            }
            output.WriteLine($"report_data: {Hex(quote.Report.ReportData)}");
            output.WriteLine($"image hash:  {Hex(result.ImageHash!)}");
        }
        if (collateralMissing)
        {
            output.WriteLine("collateral is missing: pass --collateral FILE|FOLDER to judge the TCB");
        }
        foreach (var check in result.Checks)
        {
            output.WriteLine($"  {check.Outcome.ToString().ToLowerInvariant(),-4}  {check.Name,-26} {check.Detail}");
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
