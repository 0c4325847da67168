namespace Cocoon.Security;

/// <summary>The operation names signed into a request (docs/security.md lists each one's content digest).</summary>
public static class RequestOperations
{
    public const string JobRun = "job.run";
    public const string JobCancel = "job.cancel";
    public const string JobStatus = "job.status";
    public const string WalletBalance = "wallet.balance";
    public const string WalletEntries = "wallet.entries";
    public const string WalletWithdraw = "wallet.withdraw";
    public const string WalletWithdrawal = "wallet.withdrawal";
}
