namespace Cocoon.Grains.Payouts;

/// <summary>What one treasury cycle did.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.treasury-cycle-report.v1")]
public sealed record TreasuryCycleReport(
    [property: Id(0)] int Transactions,
    [property: Id(1)] int Confirmed,
    [property: Id(2)] int Bounced,
    [property: Id(3)] int Requeued,
    [property: Id(4)] int BatchesSent,
    [property: Id(5)] int BatchesResent,
    [property: Id(6)] int BatchesExpired,
    [property: Id(7)] bool Underfunded,
    [property: Id(8)] bool Swept);
