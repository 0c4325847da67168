namespace Cocoon.Cluster.Tests;

/// <summary>What one fault scenario did to the load: the figures docs/operations.md quotes.</summary>
public sealed record ScenarioReport(
    string Scenario,
    int Sent,
    int Completed,
    int Retried,
    int Continued,
    int Failed,
    int NeverAdmitted,
    int Unresolved,
    int InterruptedCalls,
    int CostMismatches,
    TimeSpan? Noticed,
    string NoticedBy,
    long BalanceNano,
    long CostNano,
    long ReservedNano,
    bool LedgerExact)
{
    public static string Header =>
        "| scenario | sent | completed | retried | continued | failed | never admitted | unresolved | interrupted calls | job cost ≠ capture | noticed after | ledger |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|";

    public string Row =>
        $"| {Scenario} | {Sent} | {Completed} | {Retried} | {Continued} | {Failed} | {NeverAdmitted} | {Unresolved} | {InterruptedCalls} | {CostMismatches} | " +
        $"{(Noticed is { } n ? $"{n.TotalSeconds:0.0} s ({NoticedBy})" : "-")} | " +
        $"{(LedgerExact ? "exact" : "MISMATCH")}: balance {BalanceNano} + captured {CostNano} (reserved {ReservedNano}) |";
}
