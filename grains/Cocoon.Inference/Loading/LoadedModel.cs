using Cocoon.Inference.Models;
using Cocoon.Inference.Tokenization;

namespace Cocoon.Inference.Loading;

/// <summary>A model folder in memory: the decoder, its tokenizer, chat template and the tokens that end a reply.</summary>
internal sealed class LoadedModel(string name, DecoderModel decoder, ByteLevelBpeTokenizer tokenizer, ChatTemplate chatTemplate,
    IReadOnlySet<int> stopTokenIds) : IDisposable
{
    public string Name { get; } = name;
    public DecoderModel Decoder { get; } = decoder;
    public ByteLevelBpeTokenizer Tokenizer { get; } = tokenizer;
    public ChatTemplate ChatTemplate { get; } = chatTemplate;
    public IReadOnlySet<int> StopTokenIds { get; } = stopTokenIds;

    public void Dispose() => Decoder.Dispose();
}
