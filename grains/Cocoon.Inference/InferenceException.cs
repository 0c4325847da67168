namespace Cocoon.Inference;

/// <summary>A request the model cannot serve as asked (empty prompt, too long, bad sampling values).</summary>
public sealed class InvalidGenerationRequestException(string message) : Exception(message);

/// <summary>A model folder that cannot be loaded: unknown architecture, missing tensor, shape mismatch.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
