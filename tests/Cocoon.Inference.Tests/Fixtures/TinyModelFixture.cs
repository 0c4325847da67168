using Cocoon.Inference.Catalog;
using Cocoon.Inference.Generation;
using Cocoon.Inference.Loading;

namespace Cocoon.Inference.Tests.Fixtures;

/// <summary>The tiny model generated once per test run into a temp folder, and one session on it.</summary>
public sealed class TinyModelFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"cocoon-tiny-tests-{Environment.ProcessId}", TinyModel.Name);
    public List<ModelLoadProgress> Progress { get; } = [];
    public TorchInferenceSession Session { get; private set; } = null!;

    /// <summary>llama.cpp on the same weights, exported to GGUF once per run.</summary>
    internal Lazy<Cocoon.Testing.LlamaCpp.LlamaCppReference> LlamaCpp { get; }

    public TinyModelFixture()
    {
        LlamaCpp = new(() =>
        {
            var gguf = Path.Combine(Path.GetDirectoryName(Folder)!, "cocoon-tiny.gguf");
            Cocoon.Inference.Gguf.GgufExport.Write(Folder, gguf);
            return new Cocoon.Testing.LlamaCpp.LlamaCppReference(gguf);
        });
    }

    public Task InitializeAsync()
    {
        Session = ModelCatalog.Load(ModelSpec.BuiltinTiny(Folder), new SynchronousProgress<ModelLoadProgress>(Progress.Add));
        return Task.CompletedTask;
    }

    /// <summary>Another session on the same folder, with its own options.</summary>
    public TorchInferenceSession NewSession(SessionOptions options) => ModelCatalog.Load(ModelSpec.BuiltinTiny(Folder, options));

    public async Task DisposeAsync()
    {
        await Session.DisposeAsync();
        if (LlamaCpp.IsValueCreated)
            LlamaCpp.Value.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "tiny model";
}

/// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts asynchronously).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock)
            report(value);
    }
}
