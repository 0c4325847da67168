using Cocoon.Security;

namespace Cocoon.Grains.Reconciliation;

/// <summary>Reconciles the ledger with the chain (key: "network"). Internal: operators reach it through the silo's loopback HTTP endpoint.</summary>
[Alias("cocoon.reconciliation"), InternalOnly]
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>Brings the watchers up to the chain, reads both wallets' whole history and checks every account it names.</summary>
    /// <remarks>Catching up a long backlog (thousands of transactions) takes longer than Orleans' default 30 s call timeout.</remarks>
    [Alias("run"), ResponseTimeout("00:30:00")]
    Task<ReconciliationReport> Run();
}
