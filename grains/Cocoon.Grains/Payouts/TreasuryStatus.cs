namespace Cocoon.Grains.Payouts;

/// <summary>The treasury at a glance: cursor, open payouts and batches, what is in flight.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.treasury-status.v1")]
public sealed record TreasuryStatus(
    [property: Id(0)] string Address,
    [property: Id(1)] ulong CursorLt,
    [property: Id(2)] string? CursorHash,
    [property: Id(3)] int OpenPayouts,
    [property: Id(4)] long InFlightNano,
    [property: Id(5)] int OpenBatches,
    [property: Id(6)] long ConfirmedPayouts,
    [property: Id(7)] long ConfirmedNano,
    [property: Id(8)] DateTimeOffset? LastCycleAt,
    [property: Id(9)] string? LastError,
    [property: Id(10)] IReadOnlyDictionary<string, long> ConfirmedByAccount);
