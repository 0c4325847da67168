using Cocoon.Wallets;

namespace Cocoon.Grains.Wallets;

/// <summary>
/// A full page of a wallet's ledger entries, written once to its ring slot. <see cref="Number"/> tells a current page
/// from a stale one left in the slot, or one written just before a crash kept the wallet row from counting it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.ledger-entry-page.v1")]
public sealed record LedgerEntryPage(
    [property: Id(0)] long Number,
    [property: Id(1)] IReadOnlyList<LedgerEntry> Entries);
