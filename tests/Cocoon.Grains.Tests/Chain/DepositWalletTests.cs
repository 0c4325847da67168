using Cocoon.Grains.Chain;

namespace Cocoon.Grains.Tests.Chain;

public sealed class DepositWalletTests : IDisposable
{
    private readonly string home = Path.Combine(Path.GetTempPath(), "cocoon-deposit-wallet-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_dev_profile_generates_a_mnemonic_only_its_user_may_read_and_loads_the_same_wallet_again()
    {
        var path = DepositWallet.DefaultPath(home);
        var first = DepositWallet.LoadOrCreate(path, createIfMissing: true);
        var again = DepositWallet.LoadOrCreate(path, createIfMissing: false);

        Assert.Equal(first.Address, again.Address);
        Assert.Equal(24, File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_mnemonic_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = DepositWallet.DefaultPath(home);
        DepositWallet.LoadOrCreate(path, createIfMissing: true);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var e = Assert.Throws<DepositWalletException>(() => DepositWallet.LoadOrCreate(path, createIfMissing: true));
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_broken_mnemonic_is_a_clear_error()
    {
        var path = DepositWallet.DefaultPath(home);
        Assert.Throws<DepositWalletException>(() => DepositWallet.LoadOrCreate(path, createIfMissing: false));
        DepositWallet.LoadOrCreate(path, createIfMissing: true);
        File.WriteAllText(path, "not a mnemonic");
        Assert.Throws<DepositWalletException>(() => DepositWallet.LoadOrCreate(path, createIfMissing: false));
    }

    [Theory]
    [InlineData("dev", "dev")]
    [InlineData("  alice  ", "alice")]
    [InlineData(null, "system:suspense")]
    [InlineData("", "system:suspense")]
    [InlineData("system:chain", "system:suspense")]
    [InlineData("two words", "system:suspense")]
    public void The_comment_names_the_account(string? comment, string account) =>
        Assert.Equal(account, DepositClassifier.AccountFor(comment));

    public void Dispose()
    {
        try { Directory.Delete(home, recursive: true); } catch (IOException) { }
    }
}
