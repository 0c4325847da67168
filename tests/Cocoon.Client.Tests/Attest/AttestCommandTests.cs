using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Cocoon.Cli.Attest;

namespace Cocoon.Client.Tests.Attest;

public sealed class AttestCommandTests
{
    private static readonly string Tdx = Path.Combine(FindTestData(), "tdx");

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("cocoon");
        root.Subcommands.Add(AttestCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement;

    [Fact]
    public void A_good_quote_with_its_collateral_verifies_and_exits_zero()
    {
        var (exit, output, _) = Invoke("attest", "verify", Path.Combine(Tdx, "phala.quote"),
            "--collateral", Path.Combine(Tdx, "phala.collateral.json"), "--at", "2025-07-01T00:00:00Z", "--json");
        Assert.Equal(0, exit);
        var json = Json(output);
        Assert.Equal("verified", json.GetProperty("verdict").GetString());
        Assert.Equal("UpToDate", json.GetProperty("tcbStatus").GetString());
        Assert.Equal(96, json.GetProperty("mrTd").GetString()!.Length);
        Assert.Equal(4, json.GetProperty("rtmrs").GetArrayLength());
        Assert.Equal(128, json.GetProperty("reportData").GetString()!.Length);
        Assert.Equal(json.GetProperty("imageHash").GetString(), json.GetProperty("imageHash").GetString()!.ToLowerInvariant());
        Assert.Contains(json.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "quote.signature" && c.GetProperty("result").GetString() == "pass");
    }

    [Fact]
    public void A_quote_matching_no_tcb_level_is_rejected_with_a_nonzero_exit()
    {
        var (exit, output, _) = Invoke("attest", "verify", Path.Combine(Tdx, "google-spr-e4.quote"),
            "--collateral", Tdx, "--at", "2023-07-01T00:00:00Z", "--json");
        Assert.Equal(1, exit);
        var json = Json(output);
        Assert.Equal("rejected", json.GetProperty("verdict").GetString());
        Assert.Contains("no TCB level matches", json.GetProperty("reason").GetString());
    }

    [Fact]
    public void Without_collateral_it_prints_the_fields_and_image_hash_and_says_collateral_is_missing()
    {
        var (exit, output, _) = Invoke("attest", "verify", Path.Combine(Tdx, "cocoon.quote"), "--json");
        Assert.NotEqual(0, exit);
        var json = Json(output);
        Assert.True(json.GetProperty("collateralMissing").GetBoolean());
        Assert.Contains("collateral is missing", json.GetProperty("reason").GetString());
        Assert.Equal("04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436", json.GetProperty("imageHash").GetString());

        var text = Invoke("attest", "verify", Path.Combine(Tdx, "cocoon.quote"));
        Assert.Contains("image hash:  04b3afd9", text.Output);
        Assert.Contains("collateral is missing", text.Output);
    }

    [Fact]
    public void A_policy_file_is_applied()
    {
        var policy = Path.GetTempFileName();
        try
        {
            File.WriteAllText(policy, """{"allowedMrTd":["000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"]}""");
            var (exit, output, _) = Invoke("attest", "verify", Path.Combine(Tdx, "phala.quote"),
                "--collateral", Path.Combine(Tdx, "phala.collateral.json"), "--at", "2025-07-01T00:00:00Z", "--policy", policy, "--json");
            Assert.Equal(1, exit);
            Assert.StartsWith("policy.mrtd", Json(output).GetProperty("reason").GetString());
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Fact]
    public void Unreadable_inputs_exit_two_with_a_message()
    {
        var missing = Invoke("attest", "verify", Path.Combine(Tdx, "no-such.quote"));
        Assert.Equal(2, missing.Exit);
        Assert.Contains("cannot read quote", missing.Error);
        var badAt = Invoke("attest", "verify", Path.Combine(Tdx, "phala.quote"), "--at", "yesterday");
        Assert.Equal(2, badAt.Exit);
    }

    private static string FindTestData()
    {
        var env = Environment.GetEnvironmentVariable("COCOON_TESTDATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }
        var meta = typeof(AttestCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonTestData")?.Value;
        if (!string.IsNullOrEmpty(meta) && Directory.Exists(meta))
        {
            return meta;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/testdata not found (set COCOON_TESTDATA)");
    }
}
