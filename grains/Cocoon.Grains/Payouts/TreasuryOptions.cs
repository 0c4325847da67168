namespace Cocoon.Grains.Payouts;

/// <summary>How the treasury pays out, sweeps and polls (section <c>Cocoon:Treasury</c>).</summary>
public sealed class TreasuryOptions
{
    /// <summary>Time between treasury cycles (scan the chain, resend, batch, sweep).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Transactions per getTransactions page.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>A sent batch not yet seen on chain is sent again (the identical BOC) after this long.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Payouts per highload message (at most 254).</summary>
    public int BatchSize { get; set; } = Ton.Wallets.HighloadWalletV3.MaxBatchSize;

    /// <summary>The smallest payout or withdrawal (0.01 TON): smaller ones would be eaten by fees.</summary>
    public long MinPayoutNano { get; set; } = 10_000_000;

    /// <summary>Earnings of a node owner listed in <see cref="PayoutAddresses"/> are paid out once they reach this (COCOON: 10 TON).</summary>
    public long PayoutThresholdNano { get; set; } = 10_000_000_000;

    /// <summary>Node owner account → the TON address its earnings are paid to automatically.</summary>
    public Dictionary<string, string> PayoutAddresses { get; set; } = [];

    /// <summary>The treasury keeps this much for its own gas; a batch is sent only when the balance covers it on top.</summary>
    public long ReserveNano { get; set; } = 50_000_000;

    /// <summary>Set aside per payout for forwarding fees when deciding what the balance can pay.</summary>
    public long FeeAllowancePerPayoutNano { get; set; } = 10_000_000;

    /// <summary>Sweep the deposit wallet into the treasury when it holds at least this much; 0 turns sweeping off.</summary>
    public long SweepThresholdNano { get; set; } = 50_000_000_000;

    /// <summary>What a sweep leaves in the deposit wallet for its own storage and gas.</summary>
    public long SweepKeepNano { get; set; } = 100_000_000;

    /// <summary>created_at of a batch is the chain's time less this, so a chain clock a little behind ours still accepts it.</summary>
    public TimeSpan CreatedAtSkew { get; set; } = TimeSpan.FromSeconds(10);
}
