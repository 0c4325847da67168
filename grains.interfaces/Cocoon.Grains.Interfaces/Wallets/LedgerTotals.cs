namespace Cocoon.Wallets;

/// <summary>
/// An account's all-time sums by entry kind and counterparty (<see cref="IWalletGrain.GetTotals"/>): what reconciliation
/// compares with the chain, since the entry list itself keeps only the most recent lines.
/// </summary>
public static class LedgerTotals
{
    public static string Key(LedgerEntryKind kind, string counterparty) => $"{kind}:{counterparty}";

    public static long Get(IReadOnlyDictionary<string, long> totals, LedgerEntryKind kind, string counterparty) =>
        totals.TryGetValue(Key(kind, counterparty), out var sum) ? sum : 0;
}
