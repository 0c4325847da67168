using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Security;
using Cocoon.Payouts;
using Cocoon.Security;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// The public door to payouts, one activation per account: checks that the request is about this account and signed by
/// its key, then hands it to the treasury, which does the rest. Stateless: the treasury holds every payout.
/// </summary>
[CoreSilosOnly]
public sealed class WithdrawalGrain(IServiceProvider services, RequestVerifier requests) : Grain, IWithdrawalGrain
{
    private readonly TreasuryAddress? treasury = services.GetService<TreasuryAddress>();
    private ReplayCache? _replays;

    private string AccountId => this.GetPrimaryKeyString();

    public Task<PayoutView> Withdraw(WithdrawalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AccountId != AccountId)
            throw new InvalidWithdrawalException("account", $"This request names account '{request.AccountId}' but was sent to '{AccountId}'.");
        RequireKeyedAccount();
        requests.Verify(request.Signature, RequestOperations.WalletWithdraw,
            RequestContent.Withdrawal(request.RequestId, request.AmountNano, request.Destination), AccountId, _replays ??= requests.NewReplayCache());
        return Treasury().RequestPayout(request);
    }

    public Task<PayoutView?> GetWithdrawal(SignedRequest request, string requestId)
    {
        RequireKeyedAccount();
        if (request is null || request.AccountId != AccountId)
            throw new SignatureRejectedException(AccountId, RequestOperations.WalletWithdrawal, "the request is missing or names another account");
        requests.Verify(request, RequestOperations.WalletWithdrawal, RequestContent.WithdrawalStatus(requestId ?? ""), _replays ??= requests.NewReplayCache());
        return Treasury().GetPayout(AccountId, requestId!);
    }

    /// <summary>Only an account that is a key can sign for its money; system and named accounts are paid by the operator.</summary>
    private void RequireKeyedAccount()
    {
        if (Accounts.IsSystem(AccountId) || !AccountIds.IsKeyDerived(AccountId))
            throw new InvalidWithdrawalException("account", $"Account '{AccountId}' has no key, so nobody can sign a withdrawal from it (docs/security.md).");
    }

    private ITreasuryGrain Treasury() =>
        GrainFactory.GetGrain<ITreasuryGrain>((treasury ?? throw new PayoutsUnavailableException()).Address);
}
