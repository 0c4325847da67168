using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>The client has no account to bill or read: no key was given and the data directory holds no dev account key.</summary>
public sealed class NoAccountException(string home)
    : CocoonException(ErrorCode,
        $"no account is configured: pass --key FILE (an account key: `cocoon keys create`), or start the dev-profile silo once (`dotnet run --project silo`) so {home} holds its dev account key.")
{
    public const string ErrorCode = "no_account";
}
