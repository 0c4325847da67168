namespace Cocoon.Jobs;

/// <summary>One output token: its position in the completion, the model's token id and its text.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-token.v1")]
public sealed record JobToken([property: Id(0)] int Index, [property: Id(1)] int Id, [property: Id(2)] string Text);

/// <summary>A sealed output chunk, numbered; only the client holding the content key can open it.</summary>
[GenerateSerializer, Immutable, Alias("cocoon.sealed-chunk.v1")]
public sealed record SealedChunk([property: Id(0)] long Sequence, [property: Id(1)] byte[] Data, [property: Id(2)] bool Final);
