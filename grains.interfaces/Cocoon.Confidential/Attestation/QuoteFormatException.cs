namespace Cocoon.Confidential.Attestation;

/// <summary>A quote (or a structure inside it) is malformed: truncated, an unknown version, a length that overruns.</summary>
public sealed class QuoteFormatException(string message) : Exception(message);
