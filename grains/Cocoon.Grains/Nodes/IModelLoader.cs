using Cocoon.Inference;
using Cocoon.Inference.Echo;

namespace Cocoon.Grains.Nodes;

/// <summary>Loads the inference session of a model by name (the silo's configuration decides what each name means).</summary>
public interface IModelLoader
{
    bool CanLoad(string model);

    /// <summary>Memory the model will take once loaded (weights, caches), checked against the node's budget before loading.</summary>
    long EstimateBytes(string model);

    Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken);
}

/// <summary>Serves the deterministic <c>echo</c> model.</summary>
public sealed class EchoModelLoader(EchoOptions options, TimeProvider time) : IModelLoader
{
    public bool CanLoad(string model) => model == EchoSession.ModelName;

    /// <summary>The echo model holds no weights; a token amount keeps it visible in the budget.</summary>
    public long EstimateBytes(string model) => 1 << 20;

    public Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken) =>
        Task.FromResult<IInferenceSession>(new EchoSession(options, time));
}
