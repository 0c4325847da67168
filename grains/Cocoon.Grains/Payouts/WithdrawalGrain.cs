using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Payouts;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Grains.Payouts;

/// <summary>
/// The public door to payouts, one activation per account: checks that the request is about this account and hands it
/// to the treasury, which does the rest. Stateless: the treasury holds every payout.
/// </summary>
[CoreSilosOnly]
public sealed class WithdrawalGrain(IServiceProvider services) : Grain, IWithdrawalGrain
{
    private readonly TreasuryAddress? treasury = services.GetService<TreasuryAddress>();

    private string AccountId => this.GetPrimaryKeyString();

    public Task<PayoutView> Withdraw(WithdrawalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AccountId != AccountId)
            throw new InvalidWithdrawalException("account", $"This request names account '{request.AccountId}' but was sent to '{AccountId}'.");
        return Treasury().RequestPayout(request);
    }

    public Task<PayoutView?> GetWithdrawal(string requestId) => Treasury().GetPayout(AccountId, requestId);

    private ITreasuryGrain Treasury() =>
        GrainFactory.GetGrain<ITreasuryGrain>((treasury ?? throw new PayoutsUnavailableException()).Address);
}
