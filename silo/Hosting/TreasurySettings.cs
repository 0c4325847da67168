namespace Cocoon.Silo.Hosting;

/// <summary>
/// Section <c>Cocoon:Treasury</c>: the highload-v3 treasury that pays out. Its other keys bind to
/// <see cref="Cocoon.Grains.Payouts.TreasuryOptions"/> (PayoutThresholdNano, PayoutAddresses, SweepThresholdNano, ...).
/// </summary>
public sealed class TreasurySettings
{
    /// <summary>false: no payouts (withdrawals answer payouts_unavailable).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>The treasury's mnemonic (24 words, mode 0600); default <c>$COCOON_HOME/secrets/treasury.mnemonic</c>. Keep it off worker machines.</summary>
    public string? MnemonicFile { get; set; }
    /// <summary>Seconds between treasury cycles.</summary>
    public double PollSeconds { get; set; } = 5;
    /// <summary>The highload wallet's timeout in seconds (part of its address: changing it is a new treasury).</summary>
    public uint TimeoutSeconds { get; set; } = Cocoon.Ton.Wallets.HighloadWalletV3.DefaultTimeout;
}
