using Cocoon.Client.Tests.Hosting;
using Cocoon.Hosting;

namespace Cocoon.Client.Tests.Client;

/// <summary>
/// The real silo with silo-to-silo TLS on (a simulated RA-TLS identity) and its dev CA in a shared folder: a client with
/// its own, separate data directory trusts the silo's nodes through that shared CA alone. And the production profile
/// refuses simulated evidence at start, saying so.
/// </summary>
public sealed class SharedDevCaTlsTests : IDisposable
{
    private readonly string _shared = Directory.CreateTempSubdirectory("cocoon-shared-dev-ca-").FullName;

    public void Dispose() => Directory.Delete(_shared, recursive: true);

    [Fact]
    public async Task Client_with_its_own_data_directory_seals_to_nodes_of_a_tls_silo_through_the_shared_dev_ca()
    {
        var devCa = Path.Combine(_shared, "ca");
        await using var silo = await TestSilo.StartAsync(TimeSpan.FromSeconds(90),
            "--Cocoon:Tls:Mode=mutual", "--Cocoon:Tls:Tee=simulated", $"--Cocoon:Confidential:DevCaPath={devCa}");
        Assert.True(File.Exists(Path.Combine(devCa, "dev-root.crt.pem")), silo.OutputTail);
        Assert.False(Directory.Exists(Path.Combine(silo.Home, "dev-ca")));

        var account = await WaitForDevAccount(silo.Home);
        var clientHome = Path.Combine(_shared, "client-home");
        await using var session = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = clientHome;
            o.Gateways = [silo.Gateway];
            o.AccountId = account;
            o.AccountKeyFile = CocoonHome.DevAccountKeyFile(silo.Home);
            o.DevCaPath = devCa;
            o.Sealing = SealingMode.Required;
        });
        var done = await session.Client.CompleteAsync(new CocoonJobRequest { Prompt = "shared root", MaxTokens = 4, Model = "echo" });
        Assert.Equal("shared root shared root", done.Text);
        Assert.Equal(4, done.Tokens.Count);
    }

    [Fact]
    public async Task Production_profile_refuses_a_simulated_tee_at_start()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestSilo.StartAsync(TimeSpan.FromSeconds(60),
            "--Cocoon:Profile=production", "--Cocoon:Tls:Mode=mutual", "--Cocoon:Tls:Tee=simulated"));
        Assert.Contains("exited with code 2", refused.Message);
        Assert.Contains("production profile refuses simulated evidence", refused.Message);
    }

    private static async Task<string> WaitForDevAccount(string home)
    {
        var file = CocoonHome.DevAccountFile(home);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } account) return account;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no dev account in {home}");
    }
}
