using Cocoon.Security;

namespace Cocoon.Grains.Reconciliation;

/// <summary>Reconciles the ledger with the chain (key: "network"). Internal: operators reach it through the silo's loopback HTTP endpoint.</summary>
[Alias("cocoon.reconciliation"), InternalOnly]
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>Brings the watchers up to the chain, reads both wallets' whole history and checks every account it names.</summary>
    [Alias("run")]
    Task<ReconciliationReport> Run();
}
