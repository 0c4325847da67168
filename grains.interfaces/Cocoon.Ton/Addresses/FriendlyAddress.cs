namespace Cocoon.Ton.Addresses;

/// <summary>A user-friendly address with the flags its text carried.</summary>
public sealed record FriendlyAddress(TonAddress Address, bool IsBounceable, bool IsTestOnly, bool IsUrlSafe);
