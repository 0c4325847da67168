namespace Cocoon.Jobs;

/// <summary>
/// A job's public metadata: everything the core may see and validate. The prompt is not here: it travels in
/// the <see cref="JobPayload"/>, sealed to the candidate nodes once sealing is on.
/// </summary>
/// <param name="Model">The model to run.</param>
/// <param name="MaxTokens">Completion tokens at most.</param>
/// <param name="MaxPromptTokens">An upper bound of the prompt's tokens (a byte-level BPE never exceeds the UTF-8 byte count).</param>
/// <param name="MaxCoefficient">The highest node price coefficient the client accepts (per mille).</param>
/// <param name="Deadline">When the job must be finished; its reservation dies with it.</param>
[GenerateSerializer, Immutable, Alias("cocoon.job-metadata.v1")]
public sealed record JobMetadata(
    [property: Id(0)] string Model,
    [property: Id(1)] int MaxTokens,
    [property: Id(2)] int MaxPromptTokens,
    [property: Id(3)] int MaxCoefficient,
    [property: Id(4)] DateTimeOffset Deadline)
{
    /// <summary>Preferred region of the nodes; routing prefers it when a node there can take the job.</summary>
    [Id(5)] public string? Region { get; init; }
}
