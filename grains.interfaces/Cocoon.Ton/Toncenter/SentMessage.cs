namespace Cocoon.Ton.Toncenter;

/// <summary>
/// What sendBocReturnHash answers: the hash of the sent message cell (base64) and, where the API gives it, the
/// TEP-467 normalized hash that indexers key external messages by.
/// </summary>
public sealed record SentMessage(string Hash, string? NormalizedHash);
