using Cocoon.Testing.LlamaCpp;
using Cocoon.Inference.Tests.Fixtures;

namespace Cocoon.Inference.Tests.LlamaCpp;

/// <summary>The engine against llama.cpp on the same weights (exported as GGUF): logits, greedy tokens, tokenization.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class LlamaCppComparisonTests(TinyModelFixture fixture)
{
    private LlamaCppReference Reference => fixture.LlamaCpp.Value;

    [Fact]
    public async Task Last_position_logits_and_32_greedy_tokens_match_llama_cpp()
    {
        var request = new GenerationRequest { Prompt = "Confidential inference on attested GPUs, paid in TON.", MaxTokens = 32 };
        var prompt = fixture.Session.Tokenize(request);
        var (expectedLogits, expectedTokens, _, _) = Reference.Run(prompt, 32);

        var model = fixture.Session.Loaded.Decoder;
        using var cache = model.NewCache(prompt.Length);
        var logits = model.Forward([(cache, prompt)])[0];
        var maxDelta = logits.Zip(expectedLogits, (a, b) => Math.Abs(a - b)).Max();
        var maxLogit = expectedLogits.Max(Math.Abs);
        Assert.True(maxDelta / maxLogit <= 1e-4, $"max |Δ| {maxDelta} vs max |logit| {maxLogit}");

        // Greedy decoding straight on the decoder, so an end token cannot cut the comparison short.
        using var decodeCache = model.NewCache(prompt.Length + 32);
        var next = model.Forward([(decodeCache, prompt)])[0];
        var greedy = new List<int>();
        for (var i = 0; i < 32; i++)
        {
            greedy.Add(Cocoon.Inference.Generation.Sampler.ArgMax(next));
            next = model.Forward([(decodeCache, new[] { greedy[^1] })])[0];
        }
        Assert.Equal(expectedTokens, greedy);

        // The session's greedy stream is the same sequence (up to an end token, where it stops).
        var streamed = new List<int>();
        await foreach (var step in fixture.Session.GenerateAsync(request))
            streamed.Add(step.Token!.Value.Id);
        Assert.Equal(expectedTokens.Take(streamed.Count), streamed);
    }

    [Theory]
    [InlineData("Hello, world! It's 2026; prices: $3.50 & 12%.")]
    [InlineData("  leading spaces,\ttabs\nand newlines\n\n")]
    [InlineData("Unicode: naïve café, 日本語のテキスト, emoji 🤖🚀, Ελληνικά")]
    [InlineData("<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n")]
    public void Tokenization_matches_llama_cpp_and_round_trips(string text)
    {
        var tokenizer = fixture.Session.Loaded.Tokenizer;
        var ours = tokenizer.Encode(text, parseSpecialTokens: true);
        Assert.Equal(Reference.Tokenize(text, special: true), ours);
        Assert.Equal(text, tokenizer.Decode(ours));
    }
}
