namespace Cocoon.Payouts;

/// <summary>
/// The public surface of payouts, keyed by account id: withdraw unused balance (or earnings) to a TON address and
/// follow the payout. Every call is about the key's own account.
/// </summary>
[Alias("cocoon.withdrawal")]
public interface IWithdrawalGrain : IGrainWithStringKey
{
    /// <summary>
    /// Moves <see cref="WithdrawalRequest.AmountNano"/> from the available balance into the payout pipeline, if the
    /// request is signed by the account's key (<see cref="WithdrawalRequest.Signature"/>). Idempotent
    /// by request id. Bad input or too little available: <see cref="Errors.InvalidWithdrawalException"/> (its field says
    /// which); no treasury configured: <see cref="Errors.PayoutsUnavailableException"/>.
    /// </summary>
    [Alias("withdraw")]
    Task<PayoutView> Withdraw(WithdrawalRequest request);

    /// <summary>The payout created by <paramref name="requestId"/>, or null when there is none; signed <c>wallet.withdrawal</c>.</summary>
    [Alias("get")]
    Task<PayoutView?> GetWithdrawal(Security.SignedRequest request, string requestId);
}
