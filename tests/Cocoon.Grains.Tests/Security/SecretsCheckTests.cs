using Cocoon.Hosting;
using Cocoon.Security;
using Cocoon.Silo.Hosting;

namespace Cocoon.Grains.Tests.Security;

public sealed class SecretsCheckTests
{
    [Fact]
    public void A_secret_readable_by_group_or_others_is_named_with_the_fix()
    {
        if (OperatingSystem.IsWindows()) return;
        var home = Directory.CreateTempSubdirectory("cocoon-secrets-").FullName;
        try
        {
            Assert.Empty(SecretsCheck.Problems(home));
            var key = CocoonHome.DevAccountKeyFile(home);
            using (var k = AccountKey.Create()) k.Save(key);
            var mnemonic = Path.Combine(CocoonHome.Secrets(home), "deposit-wallet.mnemonic");
            SecretFiles.WriteNew(mnemonic, "words\n");
            Directory.CreateDirectory(Path.Combine(home, "dev-ca"));
            var caKey = Path.Combine(home, "dev-ca", "dev-root.key.pem");
            File.WriteAllText(caKey, "key");
            File.SetUnixFileMode(caKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(Path.Combine(home, "dev-ca", "dev-root.crt.pem"), "public"); // certificates may be world-readable
            File.SetUnixFileMode(Path.Combine(home, "dev-ca", "dev-root.crt.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Empty(SecretsCheck.Problems(home));

            foreach (var file in new[] { key, mnemonic, caKey })
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var problems = SecretsCheck.Problems(home);
            Assert.Equal(3, problems.Count);
            Assert.All(problems, p => Assert.Contains("chmod 600", p));
            Assert.Contains(problems, p => p.Contains("dev-account.key"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
