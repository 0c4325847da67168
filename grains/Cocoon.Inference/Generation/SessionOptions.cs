namespace Cocoon.Inference.Generation;

/// <summary>How a loaded model serves requests.</summary>
public sealed record SessionOptions
{
    /// <summary>Sequences decoded together in one step; further jobs wait for a slot.</summary>
    public int MaxBatch { get; init; } = 8;

    /// <summary>Bytes of recent prompt KV kept for reuse by prompts with the same prefix; 0 turns the prefix cache off.</summary>
    public long PrefixCacheBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Longest piece of a prompt computed in one forward pass; longer prompts are prefilled in pieces, which bounds
    /// the attention scores' memory (they grow with piece × context).
    /// </summary>
    public int PrefillChunkTokens { get; init; } = 512;

    /// <summary>Context length cap (prompt + completion); null means the model's max_position_embeddings.</summary>
    public int? MaxContext { get; init; }
}
