using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cocoon.Cli.Serve;
using Cocoon.Client.Tests.Hosting;
using Cocoon.Client.Tests.Serve;
using Cocoon.Errors;
using Cocoon.Hosting;
using Cocoon.Security;
using Microsoft.AspNetCore.Http;

namespace Cocoon.Client.Tests.Security;

/// <summary>Account keys, API keys and secrets as the client, the CLI and the endpoint handle them.</summary>
[Collection(SiloCollection.Name)]
public sealed class AccountSecurityTests(SiloFixture fixture)
{
    [Fact]
    public async Task The_dev_profile_keeps_an_owner_only_key_whose_derived_account_is_funded()
    {
        var keyFile = CocoonHome.DevAccountKeyFile(fixture.Silo.Home);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        using var key = AccountKey.Load(keyFile);
        Assert.Equal(key.AccountId, fixture.DevAccount);
        Assert.Equal(key.AccountId, File.ReadAllText(CocoonHome.DevAccountFile(fixture.Silo.Home)).Trim());
        Assert.True((await fixture.Client.GetBalanceAsync()).BalanceNano > 0);

        var shown = await fixture.Cli("keys", "show", "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal(key.AccountId, (string)JsonNode.Parse(shown.Out)!["account"]!);
    }

    [Fact]
    public async Task Keys_create_writes_an_owner_only_key_show_reads_it_and_an_exposed_key_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("cocoon-keys-").FullName;
        try
        {
            var file = Path.Combine(dir, "alice.key");
            var created = await CliRun.Invoke(["keys", "create", "--out", file, "--json"]);
            Assert.True(created.ExitCode == 0, created.ToString());
            var account = (string)JsonNode.Parse(created.Out)!["account"]!;
            Assert.True(AccountIds.IsKeyDerived(account));
            Assert.DoesNotContain(File.ReadAllLines(file).Last(), created.Out); // the private seed is never printed

            var shown = await CliRun.Invoke(["keys", "show", "--key", file, "--json"]);
            Assert.Equal(account, (string)JsonNode.Parse(shown.Out)!["account"]!);
            var again = await CliRun.Invoke(["keys", "create", "--out", file]);
            Assert.NotEqual(0, again.ExitCode);

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
                var exposed = await CliRun.Invoke(["keys", "show", "--key", file]);
                Assert.Equal(6, exposed.ExitCode);
                Assert.Contains("chmod 600", exposed.Error);
                // A command that signs refuses it too, before connecting.
                var balance = await fixture.Cli("balance", "--key", file);
                Assert.Equal(6, balance.ExitCode);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_key_signs_its_own_requests_and_has_no_ledger_until_funded()
    {
        var dir = Directory.CreateTempSubdirectory("cocoon-keys-").FullName;
        try
        {
            var file = Path.Combine(dir, "bob.key");
            Assert.Equal(0, (await CliRun.Invoke(["keys", "create", "--out", file])).ExitCode);
            var run = await fixture.Cli("run", "--key", file, "--prompt", "hello", "--max-tokens", "2");
            Assert.Equal(6, run.ExitCode); // unknown account: deposit first
            var balance = await fixture.Cli("balance", "--key", file, "--json");
            Assert.True(balance.ExitCode == 0, balance.ToString());
            Assert.False((bool)JsonNode.Parse(balance.Out)!["exists"]!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Api_keys_are_stored_hashed_bill_their_account_and_stop_working_once_revoked()
    {
        var dir = Directory.CreateTempSubdirectory("cocoon-apikeys-").FullName;
        try
        {
            var file = Path.Combine(dir, "api-keys");
            var created = await fixture.Cli("apikeys", "create", "--file", file, "--json");
            Assert.True(created.ExitCode == 0, created.ToString());
            var made = JsonNode.Parse(created.Out)!;
            var apiKey = (string)made["api_key"]!;
            Assert.Equal(fixture.DevAccount, (string)made["account"]!);
            var stored = File.ReadAllText(file);
            Assert.DoesNotContain(apiKey, stored);
            Assert.Contains(ApiKeys.Hash(apiKey), stored);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

            var keys = ApiKeys.Load(file);
            await using var endpoint = await ServeEndpoint.StartAsync(fixture.Client, keys);
            using var http = new HttpClient();
            async Task<HttpStatusCode> Chat()
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.BaseUrl + "/v1/chat/completions")
                {
                    Content = new StringContent("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }
            Assert.Equal(HttpStatusCode.OK, await Chat());

            var listed = await fixture.Cli("apikeys", "list", "--file", file);
            Assert.Contains(ApiKeys.Hash(apiKey)[..12], listed.Out);
            var revoked = await fixture.Cli("apikeys", "revoke", "--file", file, ApiKeys.Hash(apiKey)[..12]);
            Assert.True(revoked.ExitCode == 0, revoked.ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, await Chat());
            Assert.Null(keys.AccountFor(apiKey));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Rate_limits_answer_429_with_retry_after_and_signature_refusals_401()
    {
        var limited = OpenAiErrors.From(new RateLimitedException("acc_x", "requests", TimeSpan.FromSeconds(2.5), "6 per minute"));
        Assert.Equal(429, limited.Status);
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        await OpenAiEndpoints.WriteError(http, limited);
        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("3", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("rate_limit_exceeded", limited.Code);

        Assert.Equal(401, OpenAiErrors.From(new SignatureRejectedException("acc_x", "job.run", "bad")).Status);
        Assert.Equal(401, OpenAiErrors.From(new StaleRequestException("job.run", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))).Status);
    }

    [Fact]
    public async Task No_secret_reaches_the_silos_logs_or_metrics()
    {
        // Exercise the paths that touch secrets: a signed job, an API key through the endpoint.
        var dir = Directory.CreateTempSubdirectory("cocoon-scan-").FullName;
        string apiKey;
        try
        {
            var file = Path.Combine(dir, "api-keys");
            apiKey = (string)JsonNode.Parse((await fixture.Cli("apikeys", "create", "--file", file, "--json")).Out)!["api_key"]!;
            await using var endpoint = await ServeEndpoint.StartAsync(fixture.Client, ApiKeys.Load(file));
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.BaseUrl + "/v1/completions")
            {
                Content = new StringContent("""{"model":"echo","prompt":"scan me","max_tokens":2}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Equal(0, (await fixture.Cli("run", "--prompt", "signed job", "--max-tokens", "2")).ExitCode);

        var secrets = new List<string> { apiKey };
        var seed = File.ReadAllLines(CocoonHome.DevAccountKeyFile(fixture.Silo.Home)).Last(l => !l.StartsWith('#')).Trim();
        secrets.Add(seed);
        secrets.Add(Convert.ToBase64String(Convert.FromHexString(seed)));
        var mnemonicFile = Path.Combine(CocoonHome.Secrets(fixture.Silo.Home), "deposit-wallet.mnemonic");
        if (File.Exists(mnemonicFile))
        {
            var words = File.ReadAllText(mnemonicFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            // Any three consecutive words of the mnemonic would be a leak; single words are ordinary English.
            for (var i = 0; i + 3 <= words.Length; i++) secrets.Add(string.Join(' ', words[i..(i + 3)]));
        }
        foreach (var pem in Directory.Exists(Path.Combine(fixture.Silo.Home, "dev-ca")) ? Directory.GetFiles(Path.Combine(fixture.Silo.Home, "dev-ca"), "*key*") : [])
        {
            var body = File.ReadAllLines(pem).Where(l => !l.StartsWith("-----")).ToArray();
            secrets.AddRange(body.Where(l => l.Length >= 32));
        }

        using var metricsClient = new HttpClient();
        var metrics = await metricsClient.GetStringAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/metrics");
        var output = fixture.Silo.AllOutput;
        Assert.NotEmpty(output);
        Assert.Contains("cocoon", metrics, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in secrets)
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"a secret ({secret.Length} chars) is in the silo's output");
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"a secret ({secret.Length} chars) is in the metrics");
        }
    }
}

[Collection(SiloCollection.Name)]
public sealed class AuditTests(SiloFixture fixture)
{
    [Fact]
    public async Task The_operator_audit_shows_each_entry_with_its_actor_and_the_signature_that_authorized_the_spend()
    {
        var jobId = "audited-" + Guid.NewGuid().ToString("N");
        Assert.Equal(0, (await fixture.Cli("run", "--prompt", "audit me", "--max-tokens", "2", "--job-id", jobId)).ExitCode);

        var audit = await fixture.Cli("audit", "--account", fixture.DevAccount, "--limit", "200", "--json");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var entries = JsonNode.Parse(audit.Out)!["entries"]!.AsArray().Where(e => (string)e!["external_id"]! == jobId).ToArray();
        var reserve = entries.Single(e => (string)e!["kind"]! == "reserve")!;
        Assert.StartsWith("ed25519:", (string)reserve["signature"]!);
        Assert.All(entries, e => Assert.Contains(jobId, (string)e!["actor"]!));
        var capture = entries.Single(e => (string)e!["kind"]! == "capture")!;
        Assert.True((long)capture["amount_nano"]! < 0);

        // Operators read any account, the node owner's included; a client cannot (its ledger reads are signed and its own).
        var owner = await fixture.Cli("audit", "--account", "dev-worker", "--json");
        Assert.True(owner.ExitCode == 0, owner.ToString());
        Assert.Contains(JsonNode.Parse(owner.Out)!["entries"]!.AsArray(), e => (string)e!["external_id"]! == jobId && (string)e["kind"]! == "earn");
        var bad = await fixture.Cli("audit", "--account", "not valid!");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task The_operator_suspense_endpoints_answer_in_json_and_refuse_items_that_are_not_in_suspense()
    {
        using var http = new HttpClient();
        var unknown = await http.PostAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/admin/suspense/pay?item=job-q/{fixture.DevAccount}", null);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("No settlement share", (string)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!);
        var malformed = await http.PostAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/admin/suspense/drop?item=no-slash", null);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("is not a suspense item id", (string)JsonNode.Parse(await malformed.Content.ReadAsStringAsync())!["error"]!);

        // The CLI posts the same answers, and says why one is refused.
        var pay = await fixture.Cli("suspense", "pay", "--item", $"job-q/{fixture.DevAccount}");
        Assert.Equal(2, pay.ExitCode);
        Assert.Contains("No settlement share", pay.Error);
        var drop = await fixture.Cli("suspense", "drop", "--item", "no-slash");
        Assert.Equal(2, drop.ExitCode);
        Assert.Contains("is not <job id>/<account>", drop.Error);
    }
}
