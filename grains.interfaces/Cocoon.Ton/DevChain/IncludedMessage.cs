using Cocoon.Ton.Toncenter;

namespace Cocoon.Ton.DevChain;

/// <summary>
/// The outcome of one queued external at <c>POST /dev/include</c>: its transaction, or why its contract refused it
/// (then it is dropped, as a real chain drops an external that no longer applies).
/// </summary>
public sealed record IncludedMessage(string Hash, bool Included, TransactionId? TransactionId, string? Error);
