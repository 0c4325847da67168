using Cocoon.Ton.Crypto;
using Cocoon.Ton.Wallets;

namespace Cocoon.Grains.Chain;

/// <summary>
/// The network's deposit wallet (v5r1): users send TON to its address with their account id as the text comment.
/// Its key comes from a mnemonic in a secrets file that only the silo's user may read.
/// </summary>
public sealed class DepositWallet
{
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
        var key = SecretMnemonicFile.LoadOrCreate(path, createIfMissing, "deposit wallet", (message, inner) => new DepositWalletException(message, inner));
        return new DepositWallet(key, new WalletV5R1(key.PublicKey.Span, networkGlobalId));
    }
}
