using System.Text;
using Cocoon.Inference.Generation;
using Cocoon.Inference.Tests.Fixtures;

namespace Cocoon.Inference.Tests.Generation;

[Collection(TinyModelCollection.Name)]
public sealed class SessionBehaviourTests(TinyModelFixture fixture)
{
    private static Task<List<GenerationStep>> Collect(IInferenceSession s, GenerationRequest r, CancellationToken ct = default) =>
        GenerationTests.Collect(s, r, ct);

    private static string Text(IEnumerable<GenerationStep> steps) => string.Concat(steps.Select(s => s.Token?.Text));

    [Fact]
    public async Task Seeded_sampling_repeats_and_different_seeds_differ()
    {
        var sampling = new SamplingOptions { Temperature = 1.2f, TopP = 0.95f, TopK = 200, Seed = 42 };
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 24, Sampling = sampling };
        var a = await Collect(fixture.Session, request);
        var b = await Collect(fixture.Session, request);
        Assert.Equal(a.Select(s => s.Token), b.Select(s => s.Token));
        var c = await Collect(fixture.Session, request with { Sampling = sampling with { Seed = 43 } });
        Assert.NotEqual(a.Select(s => s.Token!.Value.Id), c.Select(s => s.Token!.Value.Id));
    }

    [Fact]
    public void Top_k_of_one_and_penalties_behave()
    {
        var logits = new float[] { 1f, 5f, 3f, 4.9f };
        var topOne = new Sampler(new SamplingOptions { Temperature = 5, TopK = 1, Seed = 1 });
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(1, topOne.Next((float[])logits.Clone())));
        // A frequency penalty makes a greedy sampler move off a token it already chose.
        var penalized = new Sampler(new SamplingOptions { FrequencyPenalty = 1f });
        Assert.Equal(1, penalized.Next((float[])logits.Clone()));
        Assert.Equal(3, penalized.Next((float[])logits.Clone()));
    }

    [Fact]
    public async Task Invalid_requests_get_typed_errors()
    {
        var session = fixture.Session;
        await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => Collect(session, new GenerationRequest { Prompt = "", MaxTokens = 5 }));
        await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => Collect(session, new GenerationRequest { Prompt = "hi", MaxTokens = 0 }));
        await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => Collect(session, new GenerationRequest { Prompt = "hi", MaxTokens = -3 }));
        await Assert.ThrowsAsync<InvalidGenerationRequestException>(() =>
            Collect(session, new GenerationRequest { Prompt = "hi", MaxTokens = 3, Sampling = new SamplingOptions { TopP = 0 } }));
        var tooLong = string.Join(' ', Enumerable.Repeat("word", session.ContextLength + 10));
        var error = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => Collect(session, new GenerationRequest { Prompt = tooLong, MaxTokens = 3 }));
        Assert.Contains("context", error.Message);
    }

    [Fact]
    public async Task Chat_messages_use_chatml()
    {
        var messages = new[] { new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi!") };
        var request = new GenerationRequest { Messages = messages, MaxTokens = 4 };
        var tokens = fixture.Session.Tokenize(request);
        var tokenizer = fixture.Session.Loaded.Tokenizer;
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n", tokenizer.Decode(tokens));
        Assert.Equal(2, tokens.Count(t => t == Cocoon.Inference.Loading.TinyModel.ImEndId));
        Assert.NotEmpty(await Collect(fixture.Session, request));
    }

    [Fact]
    public async Task Stop_sequences_end_the_stream_without_their_text()
    {
        var request = new GenerationRequest { Prompt = "Stop here", MaxTokens = 24 };
        var full = Text(await Collect(fixture.Session, request));
        Assert.True(full.Length > 6, $"too short to pick a stop sequence: \"{full}\"");
        var stop = full.Substring(full.Length / 2, 3);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];
        var steps = await Collect(fixture.Session, request with { StopSequences = [stop] });
        Assert.Equal(expected, Text(steps));
        Assert.Equal(FinishReason.Stop, steps[^1].Finish);
    }

    [Fact]
    public void Text_stream_emits_whole_characters_and_holds_back_possible_stops()
    {
        var stream = new TextStream(["END"]);
        var robot = Encoding.UTF8.GetBytes("🤖");
        Assert.Equal(("", false), stream.Push(robot.AsSpan(0, 2)));
        Assert.Equal(("🤖", false), stream.Push(robot.AsSpan(2)));
        Assert.Equal(("a", false), stream.Push("aE"u8));
        Assert.Equal(("", false), stream.Push("N"u8));
        Assert.Equal(("ENx", false), stream.Push("x"u8));
        Assert.Equal(("y", true), stream.Push("yEND tail"u8));
    }

    [Fact]
    public async Task Max_tokens_end_with_length()
    {
        var steps = await Collect(fixture.Session, new GenerationRequest { Prompt = "Count to ten", MaxTokens = 3, Sampling = new SamplingOptions { Temperature = 0.8f, Seed = 7 } });
        Assert.InRange(steps.Count, 1, 3);
        if (steps.Count == 3)
            Assert.Equal(FinishReason.Length, steps[^1].Finish);
        else
            Assert.Equal(FinishReason.Stop, steps[^1].Finish);
    }

    [Fact]
    public async Task Batched_sequences_get_the_tokens_and_logits_they_get_alone()
    {
        var prompts = new[] { "The first prompt is here", "Second", "A third, rather longer prompt with more tokens in it", "Fourth one" };
        var model = fixture.Session.Loaded.Decoder;
        var tokenized = prompts.Select(p => fixture.Session.Tokenize(new GenerationRequest { Prompt = p, MaxTokens = 1 })).ToArray();

        // Alone: each sequence prefilled and decoded by itself.
        var alone = new List<float[]>[prompts.Length];
        for (var s = 0; s < prompts.Length; s++)
        {
            using var cache = model.NewCache(tokenized[s].Length + 8);
            alone[s] = [model.Forward([(cache, tokenized[s])])[0]];
            for (var i = 0; i < 6; i++)
                alone[s].Add(model.Forward([(cache, new[] { Sampler.ArgMax(alone[s][^1]) })])[0]);
        }

        // Together: all prefilled in one pass, then decoded in shared steps.
        var caches = tokenized.Select(t => model.NewCache(t.Length + 8)).ToArray();
        try
        {
            var together = model.Forward(caches.Select((c, s) => (c, tokenized[s])).ToList());
            for (var i = 0; ; i++)
            {
                for (var s = 0; s < prompts.Length; s++)
                {
                    Assert.Equal(Sampler.ArgMax(alone[s][i]), Sampler.ArgMax(together[s]));
                    var delta = alone[s][i].Zip(together[s], (a, b) => Math.Abs(a - b)).Max();
                    Assert.True(delta <= 1e-5 * alone[s][i].Max(Math.Abs), $"sequence {s} step {i}: max |Δ| {delta}");
                }
                if (i == 6)
                    break;
                together = model.Forward(caches.Select((c, s) => (c, new[] { Sampler.ArgMax(together[s]) })).ToList());
            }
        }
        finally
        {
            foreach (var c in caches)
                c.Dispose();
        }

        // And through the session, concurrent jobs stream what they stream alone.
        var requests = prompts.Select(p => new GenerationRequest { Prompt = p, MaxTokens = 10 }).ToArray();
        var solo = new List<List<GenerationStep>>();
        foreach (var r in requests)
            solo.Add(await Collect(fixture.Session, r));
        var concurrent = await Task.WhenAll(requests.Select(r => Task.Run(() => Collect(fixture.Session, r))));
        for (var s = 0; s < requests.Length; s++)
            Assert.Equal(solo[s].Select(x => x.Token), concurrent[s].Select(x => x.Token));
    }

    [Fact]
    public async Task Jobs_beyond_the_batch_wait_for_a_slot_and_long_prompts_prefill_in_pieces()
    {
        await using var small = fixture.NewSession(new SessionOptions { MaxBatch = 2, PrefillChunkTokens = 7, PrefixCacheBytes = 0 });
        var requests = Enumerable.Range(0, 5)
            .Select(i => new GenerationRequest { Prompt = $"Request number {i} has a prompt long enough to need several prefill pieces.", MaxTokens = 8 + i })
            .ToArray();
        var alone = new List<List<GenerationStep>>();
        foreach (var r in requests)
            alone.Add(await Collect(fixture.Session, r));
        Assert.All(requests, r => Assert.True(small.CountPromptTokens(r) > 14));
        var together = await Task.WhenAll(requests.Select(r => Task.Run(() => Collect(small, r))));
        for (var i = 0; i < requests.Length; i++)
            Assert.Equal(alone[i].Select(s => s.Token), together[i].Select(s => s.Token));
    }

    [Fact]
    public async Task A_shared_prefix_is_served_from_the_prefix_cache()
    {
        await using var session = fixture.NewSession(new SessionOptions { PrefixCacheBytes = 8 << 20 });
        var system = new ChatMessage("system", "You are a careful assistant on a confidential inference network. Answer briefly.");
        var first = new GenerationRequest { Messages = [system, new ChatMessage("user", "What is TON?")], MaxTokens = 6 };
        var second = new GenerationRequest { Messages = [system, new ChatMessage("user", "What is TDX?")], MaxTokens = 6 };
        var a = await Collect(session, first);
        Assert.Equal(0, a[^1].Usage.CachedPromptTokens);
        var b = await Collect(session, second);
        var shared = session.Tokenize(first).Zip(session.Tokenize(second)).TakeWhile(p => p.First == p.Second).Count();
        Assert.Equal(shared, b[^1].Usage.CachedPromptTokens);
        Assert.Equal(shared, session.CachedTokensServed);

        // Cached KV gives the same tokens as computing from scratch.
        await using var uncached = fixture.NewSession(new SessionOptions { PrefixCacheBytes = 0 });
        var fresh = await Collect(uncached, second);
        Assert.Equal(fresh.Select(s => s.Token), b.Select(s => s.Token));
        Assert.Equal(0, fresh[^1].Usage.CachedPromptTokens);
    }

    [Fact]
    public async Task Cancelling_stops_a_job_and_leaves_the_others_running()
    {
        using var cts = new CancellationTokenSource();
        var long1 = new GenerationRequest { Prompt = "This one is cancelled", MaxTokens = 2000, Sampling = new SamplingOptions { Temperature = 1, Seed = 3 } };
        var other = new GenerationRequest { Prompt = "This one finishes", MaxTokens = 20 };
        var received = 0;
        var cancelled = Task.Run(async () =>
        {
            await foreach (var _ in fixture.Session.GenerateAsync(long1, cts.Token))
            {
                if (++received == 3)
                    cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(3, received);
        var steps = await Collect(fixture.Session, other);
        Assert.NotNull(steps[^1].Finish);
    }
}
