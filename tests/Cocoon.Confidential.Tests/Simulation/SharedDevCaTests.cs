using Cocoon.Confidential.Simulation;

namespace Cocoon.Confidential.Tests.Simulation;

/// <summary>One dev CA for all silos and clients of a dev cluster: created once, even by processes starting together.</summary>
public sealed class SharedDevCaTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("cocoon-shared-ca-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public async Task Concurrent_creators_end_up_with_one_ca()
    {
        var folder = Path.Combine(_parent, "cluster-ca");
        var roots = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            using var ca = DevCertificateAuthority.LoadOrCreate(folder);
            return Convert.ToHexString(ca.RootKeyId);
        })));
        Assert.Single(roots.Distinct());
        using var loaded = DevCertificateAuthority.Load(folder);
        Assert.Equal(roots[0], Convert.ToHexString(loaded.RootKeyId));
        // No staging folders are left behind.
        Assert.Equal([folder], Directory.GetDirectories(_parent));
    }

    [Fact]
    public void Configured_folder_wins_then_environment_then_data_directory()
    {
        var home = Path.Combine(_parent, "home");
        var previous = Environment.GetEnvironmentVariable(DevCertificateAuthority.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DevCertificateAuthority.EnvironmentVariable, null);
            Assert.Equal(Path.Combine(home, "dev-ca"), DevCertificateAuthority.ResolveFolder(null, home));
            Environment.SetEnvironmentVariable(DevCertificateAuthority.EnvironmentVariable, Path.Combine(_parent, "from-env"));
            Assert.Equal(Path.Combine(_parent, "from-env"), DevCertificateAuthority.ResolveFolder(null, home));
            Assert.Equal(Path.Combine(_parent, "configured"), DevCertificateAuthority.ResolveFolder(Path.Combine(_parent, "configured"), home));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DevCertificateAuthority.EnvironmentVariable, previous);
        }
    }
}
