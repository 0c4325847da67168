namespace Cocoon.Grains.Chain;

/// <summary>
/// What one transaction of the deposit wallet means for the ledger: <see cref="AmountNano"/> to credit to
/// <see cref="Account"/> (0 when skipped, with <see cref="SkipReason"/>), and <see cref="FeeNano"/> the wallet's
/// balance paid to the network in that transaction.
/// </summary>
public sealed record DepositDecision(string TransactionHash, string Account, long AmountNano, long FeeNano, string? Comment, string? Sender, string? SkipReason)
{
    public bool IsDeposit => AmountNano > 0;
}
