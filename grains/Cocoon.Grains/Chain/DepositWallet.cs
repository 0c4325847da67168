using Cocoon.Ton.Crypto;
using Cocoon.Ton.Wallets;

namespace Cocoon.Grains.Chain;

/// <summary>
/// The network's deposit wallet (v5r1): users send TON to its address with their account id as the text comment.
/// Its key comes from a mnemonic in a secrets file that only the silo's user may read.
/// </summary>
public sealed class DepositWallet
{
    private const UnixFileMode ForeignAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private DepositWallet(KeyPair key, WalletV5R1 wallet)
    {
        Key = key;
        Wallet = wallet;
    }

    public KeyPair Key { get; }

    public WalletV5R1 Wallet { get; }

    /// <summary>The wallet's address, bounceable user-friendly form (what toncenter and users take).</summary>
    public string Address => Wallet.Address.ToFriendly(bounceable: true, testOnly: Wallet.NetworkGlobalId == WalletV5R1.TestnetGlobalId);

    /// <summary>The address to give users: non-bounceable, so a first transfer to the undeployed wallet is not returned.</summary>
    public string DepositAddress => Wallet.Address.ToFriendly(bounceable: false, testOnly: Wallet.NetworkGlobalId == WalletV5R1.TestnetGlobalId);

    /// <summary>The default secrets file under the Cocoon home.</summary>
    public static string DefaultPath(string home) => Path.Combine(home, "secrets", "deposit-wallet.mnemonic");

    /// <summary>
    /// Loads the mnemonic from <paramref name="path"/>. When the file is missing and <paramref name="createIfMissing"/>
    /// (the dev profile), generates one and writes it with 0600 permissions. Refuses a file that group or others may access.
    /// </summary>
    public static DepositWallet LoadOrCreate(string path, bool createIfMissing, int networkGlobalId = WalletV5R1.MainnetGlobalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            if (!createIfMissing)
                throw new DepositWalletException($"The deposit wallet's mnemonic {path} does not exist: write its 24 words there (mode 0600).");
            Create(path);
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ForeignAccess) != 0)
                throw new DepositWalletException(
                    $"The deposit wallet's mnemonic {path} is accessible to group or others ({Convert.ToString((int)mode, 8)}): run chmod 600 '{path}'.");
        }

        string[] words;
        try
        {
            words = Mnemonic.Normalize(File.ReadAllText(path));
            Mnemonic.Validate(words);
        }
        catch (Exception e) when (e is MnemonicException or IOException or UnauthorizedAccessException)
        {
            throw new DepositWalletException($"The deposit wallet's mnemonic {path} cannot be used: {e.Message}", e);
        }

        var key = Mnemonic.ToKeyPair(words);
        return new DepositWallet(key, new WalletV5R1(key.PublicKey.Span, networkGlobalId));
    }

    private static void Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(string.Join(' ', Mnemonic.Generate()));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
    }
}
