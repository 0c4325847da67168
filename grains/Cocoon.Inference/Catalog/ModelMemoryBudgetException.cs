namespace Cocoon.Inference.Catalog;

/// <summary>Loading a model would exceed the host's memory budget: unload a model or raise the budget.</summary>
public sealed class ModelMemoryBudgetException(string model, long neededBytes, long availableBytes)
    : Exception($"Model {model} needs about {neededBytes / (1 << 20)} MiB but only {availableBytes / (1 << 20)} MiB of the memory budget is left; unload a model or raise the budget.")
{
    public string Model { get; } = model;
    public long NeededBytes { get; } = neededBytes;
    public long AvailableBytes { get; } = availableBytes;
}
