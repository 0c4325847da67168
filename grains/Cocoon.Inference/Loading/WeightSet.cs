using System.Text.Json.Nodes;

namespace Cocoon.Inference.Loading;

/// <summary>The safetensors of a model folder: <c>model.safetensors</c>, or shards listed in <c>model.safetensors.index.json</c>.</summary>
internal sealed class WeightSet : IDisposable
{
    private readonly List<SafeTensorsReader> _files = [];
    private readonly Dictionary<string, SafeTensorsReader> _byTensor = new(StringComparer.Ordinal);

    public WeightSet(string folder)
    {
        var index = Path.Combine(folder, "model.safetensors.index.json");
        var single = Path.Combine(folder, "model.safetensors");
        try
        {
            if (File.Exists(index))
            {
                var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"]?.AsObject()
                    ?? throw new ModelLoadException($"{index} has no weight_map.");
                var readers = new Dictionary<string, SafeTensorsReader>(StringComparer.Ordinal);
                foreach (var (tensor, fileNode) in map)
                {
                    var file = (string)fileNode!;
                    if (file.Contains('/') || file.Contains('\\') || file.Contains(".."))
                        throw new ModelLoadException($"{index} names shard \"{file}\" outside the folder.");
                    if (!readers.TryGetValue(file, out var reader))
                    {
                        var shard = Path.Combine(folder, file);
                        if (!File.Exists(shard))
                            throw new ModelLoadException($"{index} names shard {file}, which is missing.");
                        readers[file] = reader = new SafeTensorsReader(shard);
                        _files.Add(reader);
                    }
                    _byTensor[tensor] = reader;
                }
            }
            else if (File.Exists(single))
            {
                var reader = new SafeTensorsReader(single);
                _files.Add(reader);
                foreach (var name in reader.Entries.Keys)
                    _byTensor[name] = reader;
            }
            else
            {
                throw new ModelLoadException($"{folder} has neither model.safetensors nor model.safetensors.index.json.");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _byTensor.ContainsKey(name);

    /// <summary>Reads a tensor as f32 after checking it exists with the expected shape.</summary>
    public float[] Read(string name, params long[] shape)
    {
        if (!_byTensor.TryGetValue(name, out var reader) || !reader.Entries.TryGetValue(name, out var entry))
            throw new ModelLoadException($"Tensor {name} is missing from the model's safetensors.");
        if (!entry.Shape.SequenceEqual(shape))
            throw new ModelLoadException($"Tensor {name} has shape [{string.Join(", ", entry.Shape)}]; the config implies [{string.Join(", ", shape)}].");
        return reader.ReadSingle(name);
    }

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }
}
