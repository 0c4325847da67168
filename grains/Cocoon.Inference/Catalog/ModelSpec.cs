using Cocoon.Inference.Generation;

namespace Cocoon.Inference.Catalog;

/// <summary>Where a model comes from.</summary>
public enum ModelSource
{
    /// <summary>A Hugging Face model folder (config.json, safetensors, tokenizer.json) at <see cref="ModelSpec.Path"/>.</summary>
    Folder,
    /// <summary>The built-in <c>cocoon-tiny</c>, generated into <see cref="ModelSpec.Path"/> on first use.</summary>
    BuiltinTiny,
}

/// <summary>A model a node serves: the name clients ask for, its source, and how to serve it.</summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }
    public required ModelSource Source { get; init; }
    public required string Path { get; init; }
    public SessionOptions Options { get; init; } = new();

    /// <summary>The built-in tiny model, kept in <paramref name="directory"/> (a node passes <c>$COCOON_HOME/models/cocoon-tiny</c>).</summary>
    public static ModelSpec BuiltinTiny(string directory, SessionOptions? options = null) =>
        new() { Name = Loading.TinyModel.Name, Source = ModelSource.BuiltinTiny, Path = directory, Options = options ?? new SessionOptions() };

    public static ModelSpec FromFolder(string name, string folder, SessionOptions? options = null) =>
        new() { Name = name, Source = ModelSource.Folder, Path = folder, Options = options ?? new SessionOptions() };
}
