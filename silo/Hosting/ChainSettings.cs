namespace Cocoon.Silo.Hosting;

/// <summary>
/// Section <c>Cocoon:Chain</c>: where the deposit watcher reads the chain. With no toncenter endpoint the dev profile
/// starts the local dev chain (section <c>Cocoon:DevChain</c>); the production profile then watches nothing.
/// </summary>
public sealed class ChainSettings
{
    public ToncenterSettings Toncenter { get; set; } = new();
    /// <summary><c>mainnet</c> or <c>testnet</c>: the deposit wallet's v5r1 wallet id depends on it.</summary>
    public string Network { get; set; } = "mainnet";
    /// <summary>The deposit wallet's mnemonic (24 words, mode 0600); default <c>$COCOON_HOME/secrets/deposit-wallet.mnemonic</c>.</summary>
    public string? MnemonicFile { get; set; }
    /// <summary>Seconds between scans of the deposit wallet.</summary>
    public double PollSeconds { get; set; } = 5;

    public sealed class ToncenterSettings
    {
        /// <summary>The toncenter v2 root, such as <c>https://testnet.toncenter.com/api/v2/</c>.</summary>
        public string? Endpoint { get; set; }
        public string? ApiKey { get; set; }
    }
}

/// <summary>Section <c>Cocoon:DevChain</c>: the local dev chain the single-machine dev profile starts.</summary>
public sealed class DevChainSettings
{
    public bool Enabled { get; set; } = true;
    /// <summary>Loopback port; 0 lets the dev chain pick a free one.</summary>
    public int Port { get; set; } = 8090;
}
