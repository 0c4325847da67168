using System.CommandLine;
using Cocoon.Wallets;

namespace Cocoon.Cli.Hosting;

/// <summary>--account: the account to bill or read; the dev account from the data directory when omitted.</summary>
public static class AccountOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--account", "-a")
        {
            Description = "Account id (default: the dev account in the data directory).",
            HelpName = "ID",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } id && (!Accounts.IsValid(id) || Accounts.IsSystem(id)))
                r.AddError($"--account '{id}' is not a client account id: 1 to 128 characters of A-Z a-z 0-9 : . _ - (not system:).");
        });
        return option;
    }
}
