using System.Text;
using Cocoon.Client;
using Cocoon.Jobs;

namespace Cocoon.Cli.Chat;

/// <summary>
/// A conversation as chat messages: each user message runs one job over the whole conversation; a reply that
/// completes is kept as the assistant's message, a failed one leaves the conversation as it was.
/// </summary>
public sealed class ChatSession(string? system, IReadOnlyList<PromptMessage> history, CocoonJobRequest template)
{
    private readonly List<PromptMessage> _messages = Initial(system, history);

    public string Model => template.Model ?? "echo";

    public IReadOnlyList<PromptMessage> Messages => _messages;

    /// <summary>Forgets the conversation; the system message stays.</summary>
    public void Reset()
    {
        _messages.Clear();
        _messages.AddRange(Initial(system, []));
    }

    /// <summary>
    /// Sends <paramref name="message"/> and streams the reply's text to <paramref name="output"/> (when given) as it
    /// arrives. Errors the network raises before the job runs (unknown model, no funds) propagate as exceptions.
    /// </summary>
    public async Task<ChatReply> Send(ICocoonClient client, string message, TextWriter? output, TextWriter notes, CancellationToken cancellationToken)
    {
        _messages.Add(new PromptMessage("user", message));
        var text = new StringBuilder();
        var jobId = JobIds.New();
        var continuations = new List<string>();
        try
        {
            await foreach (var e in client.RunAsync(template with { Messages = _messages.ToArray(), JobId = jobId }, cancellationToken))
            {
                switch (e)
                {
                    case CocoonJobToken t:
                        text.Append(t.Text);
                        if (output is not null)
                        {
                            await output.WriteAsync(t.Text);
                            await output.FlushAsync(cancellationToken);
                        }
                        break;
                    case CocoonJobResumed r:
                        continuations.Add(r.ContinuationJobId);
                        await notes.WriteLineAsync($"{Environment.NewLine}(job {r.FailedJobId} broke after {r.DeliveredTokens} tokens; continuing as job {r.ContinuationJobId})");
                        break;
                    case CocoonJobCompleted c:
                        _messages.Add(new PromptMessage("assistant", text.ToString()));
                        return new ChatReply(jobId, text.ToString(), c, null, continuations);
                    case CocoonJobFailed f:
                        _messages.RemoveAt(_messages.Count - 1);
                        return new ChatReply(jobId, text.ToString(), null, f, continuations);
                }
            }
        }
        catch
        {
            _messages.RemoveAt(_messages.Count - 1);
            throw;
        }
        _messages.RemoveAt(_messages.Count - 1);
        return new ChatReply(jobId, text.ToString(), null,
            new CocoonJobFailed(jobId, JobFailureCodes.NodeFailed, $"The job ended without a result: check it with `cocoon jobs show {jobId}`.", 0, 0), continuations);
    }

    private static List<PromptMessage> Initial(string? system, IReadOnlyList<PromptMessage> history)
    {
        var messages = new List<PromptMessage>();
        if (!string.IsNullOrWhiteSpace(system)) messages.Add(new PromptMessage("system", system));
        messages.AddRange(history);
        return messages;
    }
}

/// <summary>One reply: its text (partial when the job failed) and how the job ended.</summary>
public sealed record ChatReply(string JobId, string Text, CocoonJobCompleted? Completed, CocoonJobFailed? Failed, IReadOnlyList<string> ContinuationJobIds);
