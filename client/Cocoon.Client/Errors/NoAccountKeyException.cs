using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>The client holds no key for the account a call names, so it cannot sign the call.</summary>
public sealed class NoAccountKeyException(string accountId)
    : CocoonException(ErrorCode,
        $"this client holds no key for account {accountId}: every call is signed by the account's key; pass --key FILE (see `cocoon keys`) or set AccountKey/AccountKeyFile.")
{
    public const string ErrorCode = "no_account_key";

    public string AccountId { get; } = accountId;
}
