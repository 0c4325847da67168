using Cocoon.Confidential.Simulation;

namespace Cocoon.Confidential.Tests.Simulation;

public sealed class DevCertificateAuthorityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cocoon-devca-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Created_once_then_loaded_with_the_same_root_and_owner_only_key_files()
    {
        byte[] rootKeyId;
        using (var created = DevCertificateAuthority.LoadOrCreate(_folder))
        {
            rootKeyId = created.RootKeyId;
        }
        using var loaded = DevCertificateAuthority.LoadOrCreate(_folder);
        Assert.Equal(rootKeyId, loaded.RootKeyId);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var key in new[] { DevCertificateAuthority.RootKeyFile, DevCertificateAuthority.PckKeyFile, DevCertificateAuthority.AttestationKeyFile })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, key)));
            }
        }
        // A quote made with the loaded CA verifies against the pinned root of the created one.
        var tee = new SimulatedTee(loaded);
        var result = new Cocoon.Confidential.Attestation.QuoteVerifier(new([rootKeyId]))
            .Verify(tee.CreateQuote(new byte[64]), null, Cocoon.Confidential.Attestation.AttestationPolicy.Development, DateTimeOffset.UtcNow);
        Assert.Equal(Cocoon.Confidential.Attestation.CheckOutcome.Pass, result.Check("pck.chain")!.Outcome);
        Assert.Equal(Cocoon.Confidential.Attestation.CheckOutcome.Pass, result.Check("quote.signature")!.Outcome);
    }

    [Fact]
    public void A_key_file_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        DevCertificateAuthority.LoadOrCreate(_folder).Dispose();
        var path = Path.Combine(_folder, DevCertificateAuthority.PckKeyFile);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<DevCertificateAuthorityException>(() => DevCertificateAuthority.Load(_folder));
        Assert.Contains("group or others", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_typed_error()
    {
        DevCertificateAuthority.LoadOrCreate(_folder).Dispose();
        File.Delete(Path.Combine(_folder, DevCertificateAuthority.AttestationKeyFile));
        Assert.Throws<DevCertificateAuthorityException>(() => DevCertificateAuthority.Load(_folder));
    }
}
