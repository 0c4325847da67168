using System.Runtime.CompilerServices;

namespace Cocoon.Inference.Echo;

/// <summary>
/// A deterministic model for load-testing the network alone: it streams the prompt's words back, cycling,
/// at a configurable pace. Its "tokens" are whitespace-separated words; ids are a stable hash of the word.
/// </summary>
public sealed class EchoSession(EchoOptions options, TimeProvider? timeProvider = null) : IInferenceSession
{
    public const string ModelName = "echo";
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Model => ModelName;

    public int CountPromptTokens(GenerationRequest request) => Words(request).Length;

    public async IAsyncEnumerable<GenerationStep> GenerateAsync(
        GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var words = Words(request);
        if (words.Length == 0)
            throw new InvalidGenerationRequestException("The prompt is empty: send at least one non-blank character.");
        if (request.MaxTokens <= 0)
            throw new InvalidGenerationRequestException($"max tokens must be positive, got {request.MaxTokens}.");

        var count = Math.Min(request.MaxTokens, Math.Max(1, options.TokensPerJob));
        var interval = options.TokensPerSecond > 0 ? TimeSpan.FromSeconds(1 / options.TokensPerSecond) : TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (interval > TimeSpan.Zero)
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            var word = words[i % words.Length];
            var text = i == 0 ? word : " " + word;
            var usage = new InferenceUsage(words.Length, 0, i + 1);
            var finish = i == count - 1 ? (count == request.MaxTokens ? FinishReason.Length : FinishReason.Stop) : (FinishReason?)null;
            yield return new GenerationStep(new GeneratedToken(TokenId(word), text), usage, finish);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string[] Words(GenerationRequest request)
    {
        var text = request.Prompt ?? string.Join('\n', request.Messages?.Select(m => m.Content) ?? []);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    // FNV-1a over UTF-16 code units, folded into a GPT-2-sized vocabulary: stable across runs and machines.
    private static int TokenId(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % 50257u);
    }
}
