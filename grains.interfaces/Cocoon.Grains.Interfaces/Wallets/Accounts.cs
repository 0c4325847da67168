namespace Cocoon.Wallets;

/// <summary>Well-known ledger accounts of the network itself.</summary>
public static class Accounts
{
    /// <summary>The dev profile's faucet: the outside world that funds the dev account; its balance goes negative.</summary>
    public const string Faucet = "system:faucet";
    /// <summary>Where money from the chain enters the ledger (deposits) and leaves it (payouts); negative by design.</summary>
    public const string Chain = "system:chain";
    /// <summary>Fees the network paid on chain (a cost, so negative by design): deposit wallet balance = deposits - fees.</summary>
    public const string NetworkFee = "system:network-fee";
    public const string Suspense = "system:suspense";
    /// <summary>Payouts between the owner's debit and their confirmation on chain: never negative, zero when nothing is in flight.</summary>
    public const string PayoutsInFlight = "system:payouts";
    /// <summary>The operator's own capital: transfers to the treasury that are not our payouts coming back (top-ups).</summary>
    public const string Operator = "system:operator";

    public static string Commission(int shard) => $"system:commission:{shard}";

    /// <summary>Accounts that stand for the world outside the ledger (and the network's fee costs) may go negative; every other account never does.</summary>
    public static bool MayGoNegative(string accountId) => accountId is Faucet or Chain or NetworkFee;

    public static bool IsSystem(string accountId) => accountId.StartsWith("system:", StringComparison.Ordinal);

    /// <summary>Account ids: 1 to 128 characters of [A-Za-z0-9:._-].</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-');
}
