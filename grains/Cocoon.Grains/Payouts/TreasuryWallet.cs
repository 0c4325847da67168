using Cocoon.Grains.Chain;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Wallets;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// The network's treasury: a highload v3 wallet (subwallet 0x10ad, timeout 3600 s by default) that pays every payout.
/// Its key comes from a mnemonic in a secrets file that only the silo's user may read; it lives on core silos only.
/// </summary>
public sealed class TreasuryWallet
{
    public TreasuryWallet(KeyPair key, bool testnet = false, uint subwalletId = HighloadWalletV3.DefaultSubwalletId, uint timeout = HighloadWalletV3.DefaultTimeout)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Testnet = testnet;
        Wallet = new HighloadWalletV3(key.PublicKey.Span, subwalletId, timeout);
    }

    public KeyPair Key { get; }

    public HighloadWalletV3 Wallet { get; }

    public bool Testnet { get; }

    /// <summary>The treasury's address, bounceable user-friendly form: the treasury grain's key.</summary>
    public string Address => Wallet.Address.ToFriendly(bounceable: true, testOnly: Testnet);

    /// <summary>The address to top the treasury up at: non-bounceable, so a transfer to the still undeployed wallet stays.</summary>
    public string TopUpAddress => Wallet.Address.ToFriendly(bounceable: false, testOnly: Testnet);

    public static string DefaultPath(string home) => Path.Combine(home, "secrets", "treasury.mnemonic");

    /// <summary>Loads the mnemonic (the dev profile creates it when missing, mode 0600); refuses a file others may read.</summary>
    public static TreasuryWallet LoadOrCreate(string path, bool createIfMissing, bool testnet = false, uint timeout = HighloadWalletV3.DefaultTimeout) =>
        new(SecretMnemonicFile.LoadOrCreate(path, createIfMissing, "treasury", (message, inner) => new TreasuryWalletException(message, inner)), testnet,
            timeout: timeout);
}
