using System.Text.Json.Nodes;
using Cocoon.Inference.Catalog;
using Cocoon.Inference.Loading;
using Cocoon.Inference.Tests.Fixtures;

namespace Cocoon.Inference.Tests.Loading;

/// <summary>The loader's error paths and dtypes, on copies of the tiny model folder.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ModelLoaderTests(TinyModelFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cocoon-loader-").FullName;

    private string CopyWith(Func<IEnumerable<SafeTensorsWriter.Tensor>, IEnumerable<SafeTensorsWriter.Tensor>>? weights = null,
        Action<JsonObject>? config = null, string? shard = null)
    {
        var folder = Path.Combine(_work, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(fixture.Folder, file), Path.Combine(folder, file));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Folder, "config.json")))!.AsObject();
        config?.Invoke(json);
        File.WriteAllText(Path.Combine(folder, "config.json"), json.ToJsonString());
        using var reader = new SafeTensorsReader(Path.Combine(fixture.Folder, "model.safetensors"));
        var tensors = reader.Entries.Values.OrderBy(e => e.Begin)
            .Select(e => new SafeTensorsWriter.Tensor(e.Name, TensorDType.F32, e.Shape, TensorDType.F32.FromSingle(reader.ReadSingle(e.Name))))
            .ToList();
        var written = (weights?.Invoke(tensors) ?? tensors).ToList();
        if (shard is null)
        {
            SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"), written);
        }
        else
        {
            // Two shards and an index, as large Hugging Face models come.
            var half = written.Count / 2;
            SafeTensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), written[..half]);
            SafeTensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), written[half..]);
            var map = new JsonObject();
            for (var i = 0; i < written.Count; i++)
                map[written[i].Name] = i < half ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), new JsonObject { ["weight_map"] = map }.ToJsonString());
        }
        return folder;
    }

    private static ModelLoadException LoadFails(string folder) =>
        Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(ModelSpec.FromFolder("broken", folder)));

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var folder = CopyWith(ts => ts.Where(t => t.Name != "model.layers.1.mlp.up_proj.weight"));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", LoadFails(folder).Message);
    }

    [Fact]
    public void A_shape_mismatch_is_named()
    {
        var folder = CopyWith(ts => ts.Select(t => t.Name == "model.layers.0.self_attn.k_proj.bias"
            ? t with { Shape = [16], Data = new byte[64] }
            : t));
        var error = LoadFails(folder);
        Assert.Contains("model.layers.0.self_attn.k_proj.bias", error.Message);
        Assert.Contains("[16]", error.Message);
    }

    [Fact]
    public void An_unknown_architecture_is_refused()
    {
        var folder = CopyWith(config: c => c["architectures"] = new JsonArray("MambaForCausalLM"));
        Assert.Contains("MambaForCausalLM", LoadFails(folder).Message);
    }

    [Fact]
    public void An_unsupported_dtype_is_refused()
    {
        var folder = CopyWith(ts => ts.Select(t => t.Name == "model.norm.weight" ? t : t));
        // Rewrite the header's dtype of one tensor to I32 (same byte size as F32).
        var path = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToInt64(bytes);
        var header = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(bytes, 8, headerLength))!.AsObject();
        header["model.norm.weight"]!["dtype"] = "I32";
        var newHeader = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString().PadRight(headerLength));
        Assert.Equal(headerLength, newHeader.Length);
        newHeader.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var error = LoadFails(folder);
        Assert.Contains("model.norm.weight", error.Message);
        Assert.Contains("I32", error.Message);
    }

    [Fact]
    public void A_folder_without_weights_or_config_is_refused()
    {
        Assert.Contains("does not exist", LoadFails(Path.Combine(_work, "nothing-here-" + Guid.NewGuid())).Message);
        var noConfig = CopyWith();
        File.Delete(Path.Combine(noConfig, "config.json"));
        Assert.Contains("config.json", LoadFails(noConfig).Message);
        var folder = CopyWith();
        File.Delete(Path.Combine(folder, "model.safetensors"));
        Assert.Contains("model.safetensors", LoadFails(folder).Message);
    }

    [Theory]
    [InlineData(TensorDType.F16, 2e-2)]
    [InlineData(TensorDType.BF16, 1e-1)]
    public async Task Half_precision_weights_load_and_agree_with_f32(TensorDType dtype, double tolerance)
    {
        var folder = CopyWith(ts => ts.Select(t =>
        {
            var values = new float[t.Data.Length / 4];
            TensorDType.F32.ToSingle(t.Data, values);
            return t with { DType = dtype, Data = dtype.FromSingle(values) };
        }));
        await using var session = ModelCatalog.Load(ModelSpec.FromFolder("half", folder));
        var prompt = fixture.Session.Tokenize(new GenerationRequest { Prompt = "half precision", MaxTokens = 1 });
        using var a = session.Loaded.Decoder.NewCache(prompt.Length);
        using var b = fixture.Session.Loaded.Decoder.NewCache(prompt.Length);
        var half = session.Loaded.Decoder.Forward([(a, prompt)])[0];
        var full = fixture.Session.Loaded.Decoder.Forward([(b, prompt)])[0];
        var relative = half.Zip(full, (x, y) => Math.Abs(x - y)).Max() / full.Max(Math.Abs);
        Assert.InRange(relative, 1e-9, tolerance);
    }

    [Fact]
    public async Task Sharded_safetensors_load_like_a_single_file()
    {
        var folder = CopyWith(shard: "two");
        await using var session = ModelCatalog.Load(ModelSpec.FromFolder("sharded", folder));
        var request = new GenerationRequest { Prompt = "shards", MaxTokens = 5 };
        var expected = await Generation.GenerationTests.Collect(fixture.Session, request);
        var actual = await Generation.GenerationTests.Collect(session, request);
        Assert.Equal(expected.Select(s => s.Token), actual.Select(s => s.Token));
    }

    [Fact]
    public void The_tiny_model_reported_progress_while_generating_and_loading()
    {
        Assert.Contains(fixture.Progress, p => p.Phase == "weights");
        Assert.Equal("ready", fixture.Progress[^1].Phase);
        Assert.All(fixture.Progress, p => Assert.InRange(p.Fraction, 0, 1));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
