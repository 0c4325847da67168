namespace Cocoon.Grains.Chain;

/// <summary>How the chain watcher polls the deposit wallet.</summary>
public sealed class ChainWatcherOptions
{
    /// <summary>Time between scans of the deposit wallet's transactions.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Transactions per getTransactions page (toncenter allows up to 100).</summary>
    public int PageSize { get; set; } = 50;
}
