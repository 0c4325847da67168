namespace Cocoon.Inference;

/// <summary>
/// The seam between a node and a model: one loaded model that generates for many concurrent requests.
/// Implementations are thread-safe; concurrent calls may be batched together by the implementation.
/// </summary>
public interface IInferenceSession : IAsyncDisposable
{
    /// <summary>The model name clients ask for (for example <c>echo</c> or <c>cocoon-tiny</c>).</summary>
    string Model { get; }

    /// <summary>
    /// Generates for one request. Each step carries at most one new token and the cumulative usage so far;
    /// the last step carries the finish reason. Cancelling the token stops the sequence at once.
    /// </summary>
    IAsyncEnumerable<GenerationStep> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Counts the prompt tokens a request would use (after the chat template), without generating.</summary>
    int CountPromptTokens(GenerationRequest request);
}
