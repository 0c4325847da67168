using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>The client has no account to bill or read: none was given and the data directory holds no dev account.</summary>
public sealed class NoAccountException(string home)
    : CocoonException(ErrorCode,
        $"no account is configured: pass --account ID, or start the dev-profile silo once (`dotnet run --project silo`) so {home} holds its dev account.")
{
    public const string ErrorCode = "no_account";
}
