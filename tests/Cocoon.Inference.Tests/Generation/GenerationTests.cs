using Cocoon.Inference.Tests.Fixtures;

namespace Cocoon.Inference.Tests.Generation;

[Collection(TinyModelCollection.Name)]
public sealed class GenerationTests(TinyModelFixture fixture)
{
    internal static async Task<List<GenerationStep>> Collect(IInferenceSession session, GenerationRequest request, CancellationToken ct = default)
    {
        var steps = new List<GenerationStep>();
        await foreach (var step in session.GenerateAsync(request, ct))
            steps.Add(step);
        return steps;
    }

    [Fact]
    public async Task Greedy_generation_streams_tokens_with_cumulative_usage_and_a_finish()
    {
        var request = new GenerationRequest { Prompt = "The quick brown fox", MaxTokens = 12 };
        var steps = await Collect(fixture.Session, request);
        var prompt = fixture.Session.CountPromptTokens(request);
        Assert.Equal(4, prompt);
        Assert.InRange(steps.Count, 1, 12);
        Assert.NotNull(steps[^1].Finish);
        Assert.All(steps[..^1], s => Assert.Null(s.Finish));
        for (var i = 0; i < steps.Count; i++)
            Assert.Equal(new InferenceUsage(prompt, steps[i].Usage.CachedPromptTokens, i + 1), steps[i].Usage);
        var again = await Collect(fixture.Session, request);
        Assert.Equal(steps.Select(s => s.Token!.Value.Id), again.Select(s => s.Token!.Value.Id));
    }
}
