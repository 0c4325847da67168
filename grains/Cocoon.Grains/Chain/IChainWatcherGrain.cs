using Cocoon.Security;

namespace Cocoon.Grains.Chain;

/// <summary>
/// Watches one deposit wallet (the key is its address) and credits every incoming transfer to the ledger exactly once.
/// Internal to core silos: clients never call it.
/// </summary>
[Alias("cocoon.chain-watcher"), InternalOnly]
public interface IChainWatcherGrain : IGrainWithStringKey
{
    /// <summary>Starts the polling timer (idempotent); the hosted service calls it to keep the watcher alive.</summary>
    [Alias("start")]
    Task Start();

    /// <summary>Reads and books every transaction after the cursor now.</summary>
    [Alias("scan"), ResponseTimeout("00:30:00")] // a first scan may book thousands of transactions
    Task<ChainScanReport> Scan();

    [Alias("status")]
    Task<ChainWatcherStatus> GetStatus();

    /// <summary>
    /// Forgets the cursor so the next scan reads the whole history again. Safe: crediting is idempotent by transaction
    /// hash, so an operator may use it to re-check the ledger against the chain.
    /// </summary>
    [Alias("rescan")]
    Task ResetCursor();
}

[GenerateSerializer, Immutable, Alias("cocoon.chain-scan-report.v1")]
public sealed record ChainScanReport(
    [property: Id(0)] int Transactions,
    [property: Id(1)] int Deposits,
    [property: Id(2)] int ToSuspense,
    [property: Id(3)] int Skipped,
    [property: Id(4)] long CreditedNano,
    [property: Id(5)] long FeesNano);

[GenerateSerializer, Immutable, Alias("cocoon.chain-watcher-status.v1")]
public sealed record ChainWatcherStatus(
    [property: Id(0)] string Address,
    [property: Id(1)] ulong CursorLt,
    [property: Id(2)] string? CursorHash,
    [property: Id(3)] DateTimeOffset? LastScanAt,
    [property: Id(4)] string? LastError);
