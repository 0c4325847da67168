using Cocoon.Inference;
using Cocoon.Inference.Catalog;
using Cocoon.Inference.Loading;
using Microsoft.Extensions.Logging;

namespace Cocoon.Grains.Nodes;

/// <summary>
/// Serves transformer models on the TorchSharp engine: the built-in <c>cocoon-tiny</c> (generated on first use under
/// <c>models/</c> in the data directory) and any Hugging Face folder named in the configuration.
/// </summary>
public sealed class TorchModelLoader(TorchModelLoaderOptions options, ILogger<TorchModelLoader> logger) : IModelLoader
{
    public bool CanLoad(string model) => model == TinyModel.Name || options.Folders.ContainsKey(model);

    public long EstimateBytes(string model) => ModelCatalog.EstimateBytes(Spec(model));

    public Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken)
    {
        var spec = Spec(model);
        var last = -1;
        var progress = new Progress<ModelLoadProgress>(p =>
        {
            var percent = (int)(p.Fraction * 100);
            if (percent / 25 == last / 25 && percent != 100) return;
            last = percent;
            logger.LogInformation("Model {Model}: {Phase} {Percent}%", p.Model, p.Phase, percent);
        });
        return ModelCatalog.LoadAsync(spec, progress, cancellationToken);
    }

    private ModelSpec Spec(string model) => options.Folders.TryGetValue(model, out var folder)
        ? ModelSpec.FromFolder(model, folder)
        : ModelSpec.BuiltinTiny(Path.Combine(options.ModelsDirectory, TinyModel.Name));
}

public sealed class TorchModelLoaderOptions
{
    /// <summary>Where built-in models are generated and kept (<c>$COCOON_HOME/models</c>).</summary>
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>Model name → Hugging Face model folder (config.json, *.safetensors, tokenizer.json).</summary>
    public Dictionary<string, string> Folders { get; set; } = [];
}
