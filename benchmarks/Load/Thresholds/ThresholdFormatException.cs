namespace Cocoon.Benchmarks.Load;

/// <summary>A threshold expression that cannot be parsed; the message lists what is accepted.</summary>
public sealed class ThresholdFormatException(string message) : FormatException(message);

/// <summary>A threshold names data the run did not produce (a step that never ran, token timings of a plain request).</summary>
public sealed class ThresholdDataException(string message) : InvalidOperationException(message);
