namespace Cocoon.Payouts;

/// <summary>
/// Pay <see cref="AmountNano"/> of <see cref="AccountId"/>'s available balance to the TON address
/// <see cref="Destination"/> (raw or user-friendly; a friendly address's bounceable flag is honoured).
/// <see cref="RequestId"/> (1 to 64 characters of [A-Za-z0-9._:-]) makes the request idempotent per account:
/// sending it again returns the same payout, never a second one.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.withdrawal-request.v1")]
public sealed record WithdrawalRequest(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long AmountNano,
    [property: Id(2)] string Destination,
    [property: Id(3)] string RequestId)
{
    /// <summary>The account key's signature over <see cref="Security.RequestContent.Withdrawal"/> (operation <c>wallet.withdraw</c>).</summary>
    [Id(4)] public Security.RequestSignature? Signature { get; init; }
}
