using System.Threading.Channels;
using Cocoon.Inference.Models;

namespace Cocoon.Inference.Generation;

/// <summary>One request inside the scheduler: its prompt, cache, sampler, text stream and output channel.</summary>
internal sealed class GenerationJob(int[] prompt, int maxTokens, Sampler sampler, TextStream text, CancellationToken cancellation)
{
    public int[] Prompt { get; } = prompt;
    public int MaxTokens { get; } = maxTokens;
    public Channel<GenerationStep> Output { get; } = Channel.CreateUnbounded<GenerationStep>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    public KvCache? Cache { get; set; }
    public int CachedPromptTokens { get; set; }
    public int Completion { get; private set; }
    public int LastToken { get; private set; }
    public bool Finished { get; private set; }

    /// <summary>Set by the consumer when it stops reading (cancelled or disposed the enumerator).</summary>
    public volatile bool Abandoned;

    public bool Gone => Abandoned || cancellation.IsCancellationRequested;

    private InferenceUsage Usage => new(Prompt.Length, CachedPromptTokens, Completion);

    /// <summary>Records a sampled token and streams the step; returns true when the job is finished.</summary>
    public bool Accept(int token, Loading.LoadedModel model)
    {
        Completion++;
        LastToken = token;
        GenerationStep step;
        if (model.StopTokenIds.Contains(token))
        {
            step = new GenerationStep(new GeneratedToken(token, text.Flush()), Usage, FinishReason.Stop);
        }
        else
        {
            var bytes = model.Tokenizer.SpecialTokenIds.Contains(token) ? [] : model.Tokenizer.TokenBytes(token);
            var (piece, stopped) = text.Push(bytes);
            if (stopped)
                step = new GenerationStep(new GeneratedToken(token, piece), Usage, FinishReason.Stop);
            else if (Completion >= MaxTokens)
                step = new GenerationStep(new GeneratedToken(token, piece + text.Flush()), Usage, FinishReason.Length);
            else
                step = new GenerationStep(new GeneratedToken(token, piece), Usage, null);
        }
        Output.Writer.TryWrite(step);
        if (step.Finish is not null)
            Complete(null);
        return Finished;
    }

    public int Sample(float[] logits) => sampler.Next(logits);

    public void Complete(Exception? error)
    {
        if (Finished)
            return;
        Finished = true;
        Cache?.Dispose();
        Cache = null;
        Output.Writer.TryComplete(error);
    }
}
