using Cocoon.Inference;
using Cocoon.Inference.Echo;

namespace Cocoon.Grains.Nodes;

/// <summary>Loads the inference session of a model by name (the silo's configuration decides what each name means).</summary>
public interface IModelLoader
{
    bool CanLoad(string model);

    Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken);
}

/// <summary>Serves the deterministic <c>echo</c> model.</summary>
public sealed class EchoModelLoader(EchoOptions options, TimeProvider time) : IModelLoader
{
    public bool CanLoad(string model) => model == EchoSession.ModelName;

    public Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken) =>
        Task.FromResult<IInferenceSession>(new EchoSession(options, time));
}
