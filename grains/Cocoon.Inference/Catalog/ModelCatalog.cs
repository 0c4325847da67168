using Cocoon.Inference.Generation;
using Cocoon.Inference.Loading;
using Cocoon.Inference.Torch;

namespace Cocoon.Inference.Catalog;

/// <summary>Creates inference sessions from model specs: generates the built-in model if needed, then loads the folder.</summary>
public static class ModelCatalog
{
    public static Task<IInferenceSession> LoadAsync(ModelSpec spec, IProgress<ModelLoadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run<IInferenceSession>(() => Load(spec, progress, cancellationToken), cancellationToken);

    /// <summary>Loads synchronously (callers that are already off the request path).</summary>
    public static TorchInferenceSession Load(ModelSpec spec, IProgress<ModelLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Name))
            throw new ModelLoadException("A model spec needs a name.");
        if (spec.Source == ModelSource.BuiltinTiny)
            TinyModel.EnsureGenerated(spec.Path, progress);
        var model = ModelFolderLoader.Load(spec.Name, spec.Path, TorchRuntime.DefaultDevice, spec.Options.MaxContext, progress, cancellationToken);
        try
        {
            return new TorchInferenceSession(model, spec.Options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Bytes a spec will need: f32 weights plus the KV caches of a full batch at full context plus the prefix cache.
    /// Reads only config.json.
    /// </summary>
    public static long EstimateBytes(ModelSpec spec)
    {
        var config = spec.Source == ModelSource.BuiltinTiny ? TinyModel.Config : ModelConfig.Read(System.IO.Path.Combine(spec.Path, "config.json"));
        var context = Math.Min(config.MaxPositionEmbeddings, spec.Options.MaxContext ?? config.MaxPositionEmbeddings);
        var kvPerToken = 2L * config.Layers * config.KvHeads * config.HeadDim * 4;
        return config.ParameterCount * 4 + kvPerToken * context * spec.Options.MaxBatch + spec.Options.PrefixCacheBytes;
    }
}
