using Cocoon.Inference.Catalog;
using Cocoon.Inference.Echo;
using Cocoon.Inference.Tests.Fixtures;

namespace Cocoon.Inference.Tests.Catalog;

[Collection(TinyModelCollection.Name)]
public sealed class ModelHostTests(TinyModelFixture fixture)
{
    [Fact]
    public async Task A_load_beyond_the_memory_budget_is_refused_and_one_within_it_is_served()
    {
        var tiny = ModelSpec.BuiltinTiny(fixture.Folder, new Cocoon.Inference.Generation.SessionOptions { MaxBatch = 2, MaxContext = 256, PrefixCacheBytes = 1 << 20 });
        var needed = ModelCatalog.EstimateBytes(tiny);
        Assert.True(needed > Cocoon.Inference.Loading.TinyModel.Config.ParameterCount * 4);

        await using var host = new ModelHost(needed + (1 << 20));
        host.Add(new EchoSession(new EchoOptions()), 1 << 20);
        var refused = await Assert.ThrowsAsync<ModelMemoryBudgetException>(() => host.LoadAsync(tiny with { Options = tiny.Options with { MaxBatch = 4 } }));
        Assert.Equal("cocoon-tiny", refused.Model);
        Assert.Equal(["echo"], host.Models);

        var progress = new List<Cocoon.Inference.Loading.ModelLoadProgress>();
        var session = await host.LoadAsync(tiny, new SynchronousProgress<Cocoon.Inference.Loading.ModelLoadProgress>(progress.Add));
        Assert.Same(session, host.Get("cocoon-tiny"));
        Assert.Equal("ready", progress[^1].Phase);
        Assert.Equal(needed + (1 << 20), host.UsedBytes);
        await foreach (var step in session.GenerateAsync(new GenerationRequest { Prompt = "hosted", MaxTokens = 2 }))
            Assert.True(step.Usage.CompletionTokens > 0);

        await host.UnloadAsync("cocoon-tiny");
        Assert.Null(host.Get("cocoon-tiny"));
        Assert.Equal(1 << 20, host.UsedBytes);
    }

    [Fact]
    public async Task A_load_in_progress_holds_its_share_so_a_racing_load_cannot_overcommit()
    {
        await using var host = new ModelHost(3 << 20);
        var gate = new TaskCompletionSource<IInferenceSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = host.LoadAsync("a", 2 << 20, _ => gate.Task);

        Assert.Equal(2 << 20, host.UsedBytes);
        await Assert.ThrowsAsync<ModelMemoryBudgetException>(() => host.LoadAsync("b", 2 << 20, _ => Task.FromResult<IInferenceSession>(new EchoSession(new EchoOptions()))));

        gate.SetResult(new EchoSession(new EchoOptions()));
        await first;
        Assert.Equal(["a"], host.Models);

        // A failed load gives its share back.
        await Assert.ThrowsAsync<IOException>(() => host.LoadAsync("c", 1 << 20, _ => Task.FromException<IInferenceSession>(new IOException("disk"))));
        Assert.Equal(2 << 20, host.UsedBytes);
    }
}
