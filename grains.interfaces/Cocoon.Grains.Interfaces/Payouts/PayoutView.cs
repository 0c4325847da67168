namespace Cocoon.Payouts;

/// <summary>
/// One payout as its owner sees it. <see cref="MessageHash"/> is the treasury's external message (hex) that carries
/// it; <see cref="TransactionHash"/> the treasury transaction whose outgoing message paid it, once confirmed.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.payout-view.v1")]
public sealed record PayoutView(
    [property: Id(0)] long PayoutId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string RequestId,
    [property: Id(3)] long AmountNano,
    [property: Id(4)] string Destination,
    [property: Id(5)] PayoutStatus Status,
    [property: Id(6)] string? QueryId,
    [property: Id(7)] string? MessageHash,
    [property: Id(8)] string? TransactionHash,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? Error);
