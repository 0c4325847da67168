namespace Cocoon.Grains.Wallets;

/// <summary>
/// A full page of a wallet's idempotency keys (oldest first) and the signed amount each applied. Written at
/// <see cref="WrittenAt"/>, after every key on it was applied (default in pages written before it was recorded).
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.applied-key-page.v1")]
public sealed record AppliedKeyPage(
    [property: Id(0)] long Number,
    [property: Id(1)] IReadOnlyList<string> Keys,
    [property: Id(2)] IReadOnlyList<long> Amounts,
    [property: Id(3)] DateTimeOffset WrittenAt = default);
