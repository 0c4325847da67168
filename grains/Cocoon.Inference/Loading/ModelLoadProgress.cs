namespace Cocoon.Inference.Loading;

/// <summary>Where a model load stands: a phase (generating, reading weights, tokenizer, ready) and a fraction done.</summary>
public readonly record struct ModelLoadProgress(string Model, string Phase, double Fraction);
