using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cocoon.Inference;
using Cocoon.Inference.Catalog;
using Cocoon.Inference.Generation;
using Cocoon.Inference.Gguf;
using Cocoon.Inference.Loading;
using Cocoon.Testing.LlamaCpp;

namespace Cocoon.Benchmarks.Inference;

/// <summary>
/// The TorchSharp engine against llama.cpp on the same ~114M-parameter Qwen2-shaped model (hidden 768, 12 layers,
/// 12 heads sharing 4 kv heads of 64, SwiGLU 2048, GPT-2 vocabulary + ChatML tokens, tied head, f32): prefill and
/// single-stream decode tokens/s, batched decode at 1, 4 and 8 concurrent jobs, weight bytes read per token against
/// measured memory bandwidth, and the logits' agreement. The last stdout line is one JSON object.
/// Usage: inference [--tokens N] [--prompt-tokens N] [--dir PATH]
/// </summary>
public static class InferenceBenchmark
{
    public static readonly ModelConfig BenchConfig = TinyModel.Config with
    {
        HiddenSize = 768,
        IntermediateSize = 2048,
        Layers = 12,
        Heads = 12,
        KvHeads = 4,
        HeadDim = 64,
        MaxPositionEmbeddings = 1024,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var decodeTokens = IntArg(args, "--tokens", 32);
        var promptTokens = IntArg(args, "--prompt-tokens", 128);
        var dir = StringArg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "cocoon-bench", "inference");
        var folder = Path.Combine(dir, "cocoon-bench-114m");
        var gguf = Path.Combine(dir, "cocoon-bench-114m.gguf");

        Console.WriteLine($"model: {BenchConfig.ParameterCount / 1e6:F1}M parameters (hidden {BenchConfig.HiddenSize}, {BenchConfig.Layers} layers, " +
            $"{BenchConfig.Heads} heads / {BenchConfig.KvHeads} kv heads, ffn {BenchConfig.IntermediateSize}, vocab {BenchConfig.VocabSize}), f32, in {folder}");
        var clock = Stopwatch.StartNew();
        TinyModel.EnsureGenerated(folder, BenchConfig, "cocoon-bench-114m", seed: 1234);
        if (!File.Exists(gguf))
            GgufExport.Write(folder, gguf);
        Console.WriteLine($"model ready in {clock.Elapsed.TotalSeconds:F1} s");

        await using var session = ModelCatalog.Load(ModelSpec.FromFolder("cocoon-bench-114m", folder,
            new SessionOptions { MaxBatch = 8, MaxContext = 1024, PrefixCacheBytes = 0 }));
        var decoder = session.Loaded.Decoder;
        var text = string.Join(' ', Enumerable.Repeat("Confidential inference runs inside attested virtual machines and is paid in TON.", 40));
        var prompt = session.Tokenize(new GenerationRequest { Prompt = text, MaxTokens = 1 })[..promptTokens];

        // Each engine is warmed up, then measured in its own phase (best of three): libtorch and llama.cpp each keep
        // an OpenMP thread team, and interleaving them makes each pay for the other's spinning threads.
        double prefillSeconds = double.MaxValue, decodeSeconds = double.MaxValue, llamaPrefill = double.MaxValue, llamaDecode = double.MaxValue;
        float[] ourLogits = [], llamaLogits = [];
        var ourTokens = new int[decodeTokens];
        int[] llamaTokens = [];
        // Prefill and the greedy reference tokens straight on the decoder; single-stream decode through the session
        // (one job, the same prompt), timed from its first token to its last.
        var promptText = session.Loaded.Tokenizer.Decode(prompt);
        for (var round = 0; round < 4; round++)
        {
            using (var cache = decoder.NewCache(prompt.Length + decodeTokens + 1))
            {
                clock.Restart();
                var logits = ourLogits = decoder.Forward([(cache, prompt)])[0];
                if (round > 0)
                    prefillSeconds = Math.Min(prefillSeconds, clock.Elapsed.TotalSeconds);
                for (var n = 0; round == 0 && n < decodeTokens; n++)
                {
                    ourTokens[n] = Sampler.ArgMax(logits);
                    logits = decoder.Forward([(cache, new[] { ourTokens[n] })])[0];
                }
            }
            double first = 0, last = 0;
            var generated = 0;
            clock.Restart();
            await foreach (var step in session.GenerateAsync(new GenerationRequest { Prompt = promptText, MaxTokens = decodeTokens + 1 }))
            {
                generated = step.Usage.CompletionTokens;
                last = clock.Elapsed.TotalSeconds;
                if (generated == 1)
                    first = last;
            }
            if (round > 0 && generated > 1)
                decodeSeconds = Math.Min(decodeSeconds, (last - first) / (generated - 1) * decodeTokens);
        }
        var decodeTps = decodeTokens / decodeSeconds;
        var prefillTps = prompt.Length / prefillSeconds;
        Console.WriteLine($"engine:    prefill {prefillTps,8:F1} tok/s   decode {decodeTps,7:F2} tok/s");
        // Continuous batching through the session: aggregate completion tokens/s with 1, 4 and 8 concurrent jobs.
        var batched = new Dictionary<int, double>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var jobs in new[] { 1, 4, 8 })
            {
                var requests = Enumerable.Range(0, jobs).Select(j => new GenerationRequest
                {
                    Prompt = $"Job {j}: tell me about confidential computing",
                    MaxTokens = decodeTokens,
                    // Seeded sampling without stop tokens' influence on length: every job runs its full max tokens
                    // unless it samples an end token, which the counts account for.
                    Sampling = new SamplingOptions { Temperature = 0.8f, Seed = (ulong)j },
                }).ToArray();
                // Decode throughput once every job has its first token (prompts are prefilled together in one step).
                clock.Restart();
                var runs = await Task.WhenAll(requests.Select(r => Task.Run(async () =>
                {
                    double first = 0, last = 0;
                    var tokens = 0;
                    await foreach (var step in session.GenerateAsync(r))
                    {
                        tokens = step.Usage.CompletionTokens;
                        last = clock.Elapsed.TotalSeconds;
                        if (tokens == 1)
                            first = last;
                    }
                    return (First: first, Last: last, Tokens: tokens);
                })));
                var decoded = runs.Sum(x => x.Tokens - 1);
                var span = runs.Max(x => x.Last) - runs.Max(x => x.First);
                if (round > 0)
                    batched[jobs] = Math.Max(batched.GetValueOrDefault(jobs), decoded / span);
            }
        }
        foreach (var (jobs, tps) in batched)
            Console.WriteLine($"batched:   {jobs} concurrent jobs  {tps,7:F2} tok/s aggregate");

        // llama.cpp on the same weights, after the engine's phases.
        using (var llama = new LlamaCppReference(gguf, 1024))
        {
            for (var round = 0; round < 4; round++)
            {
                var run = llama.Run(prompt, decodeTokens);
                if (round > 0)
                {
                    llamaPrefill = Math.Min(llamaPrefill, run.Prefill.TotalSeconds);
                    llamaDecode = Math.Min(llamaDecode, run.Decode.TotalSeconds);
                }
                (llamaLogits, llamaTokens) = (run.Logits, run.Tokens);
            }
        }
        var llamaDecodeTps = decodeTokens / llamaDecode;
        var llamaPrefillTps = prompt.Length / llamaPrefill;
        Console.WriteLine($"llama.cpp: prefill {llamaPrefillTps,8:F1} tok/s   decode {llamaDecodeTps,7:F2} tok/s");
        var maxRelError = ourLogits.Zip(llamaLogits, (a, b) => Math.Abs(a - b)).Max() / llamaLogits.Max(Math.Abs);
        var sameTokens = ourTokens.Zip(llamaTokens).TakeWhile(p => p.First == p.Second).Count();
        Console.WriteLine($"agreement: max |Δlogit| / max |logit| = {maxRelError:E2}; greedy tokens equal for {sameTokens}/{decodeTokens}");


        var bandwidth = MeasureBandwidth();
        var weightBytes = decoder.WeightBytes;
        var boundTps = bandwidth / weightBytes;
        Console.WriteLine($"memory:    {weightBytes / 1e6:F0} MB of weights read per decoded token; measured bandwidth {bandwidth / 1e9:F1} GB/s " +
            $"=> bandwidth bound {boundTps:F1} tok/s; engine reaches {decodeTps / boundTps:P0}");

        var result = new Dictionary<string, object>
        {
            ["parameters"] = BenchConfig.ParameterCount,
            ["threads"] = Environment.ProcessorCount,
            ["prompt_tokens"] = prompt.Length,
            ["decode_tokens"] = decodeTokens,
            ["prefill_tokens_per_s"] = Round(prefillTps),
            ["llamacpp_prefill_tokens_per_s"] = Round(llamaPrefillTps),
            ["decode_tokens_per_s"] = Round(decodeTps),
            ["llamacpp_decode_tokens_per_s"] = Round(llamaDecodeTps),
            ["decode_ratio"] = Round(decodeTps / llamaDecodeTps),
            ["prefill_ratio"] = Round(prefillTps / llamaPrefillTps),
            ["batch1_tokens_per_s"] = Round(batched[1]),
            ["batch4_tokens_per_s"] = Round(batched[4]),
            ["batch8_tokens_per_s"] = Round(batched[8]),
            ["batch8_speedup"] = Round(batched[8] / batched[1]),
            ["weight_bytes_per_token"] = weightBytes,
            ["memory_bandwidth_gb_s"] = Round(bandwidth / 1e9),
            ["bandwidth_bound_tokens_per_s"] = Round(boundTps),
            ["max_logit_rel_error"] = double.Parse(maxRelError.ToString("E3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            ["greedy_tokens_equal"] = sameTokens,
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    // Streaming read of a buffer far larger than the caches, summed so the reads cannot be elided: bytes/s.
    private static double MeasureBandwidth()
    {
        var data = new float[256 << 20 >> 2];
        Array.Fill(data, 1f);
        var best = 0.0;
        for (var run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            var threads = Environment.ProcessorCount;
            var chunk = data.Length / threads;
            var sums = new double[threads];
            Parallel.For(0, threads, t =>
            {
                var span = data.AsSpan(t * chunk, chunk);
                var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(span);
                var acc = System.Numerics.Vector<float>.Zero;
                foreach (var v in vectors)
                    acc += v;
                sums[t] = System.Numerics.Vector.Sum(acc);
            });
            var seconds = clock.Elapsed.TotalSeconds;
            if (sums.Sum() <= 0)
                throw new InvalidOperationException("bandwidth probe summed to nothing");
            best = Math.Max(best, data.Length * 4.0 / seconds);
        }
        return best;
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
