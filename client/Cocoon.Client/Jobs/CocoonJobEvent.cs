using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>What <see cref="ICocoonClient.RunAsync"/> streams: accepted, tokens, usage, then completed or failed.</summary>
public abstract record CocoonJobEvent;

/// <summary>A node took the job (a retry on another node sends another one, with the next attempt number).</summary>
public sealed record CocoonJobAccepted(string JobId, string NodeId, int Attempt, DateTimeOffset Deadline, long ReservedNano) : CocoonJobEvent;

/// <summary>One output token, opened on this machine when the output was sealed.</summary>
public sealed record CocoonJobToken(int Index, int Id, string Text) : CocoonJobEvent;

/// <summary>Cumulative usage so far, from the node's last signed receipt.</summary>
public sealed record CocoonJobUsage(
    string NodeId, int PromptTokens, int CachedPromptTokens, int CompletionTokens, int Coefficient, int Sequence, bool Final) : CocoonJobEvent;

/// <summary>The job finished; <see cref="CostNano"/> is what the account paid.</summary>
public sealed record CocoonJobCompleted(
    string JobId, string FinishReason, int PromptTokens, int CachedPromptTokens, int CompletionTokens, long CostNano, JobTimings Timings) : CocoonJobEvent;

/// <summary>The job failed with a <see cref="JobFailureCodes"/> code; what was billed is in <see cref="CostNano"/>.</summary>
public sealed record CocoonJobFailed(string JobId, string Code, string Message, int CompletionTokens, long CostNano) : CocoonJobEvent;

/// <summary>
/// The job broke mid-stream and could not be re-attached: the client goes on with a continuation job
/// (<paramref name="ContinuationJobId"/>) whose prompt is the original one plus the text delivered so far, for the
/// tokens that remain. <paramref name="BilledNano"/> is what the jobs before it were billed (their last receipts).
/// Tokens that follow continue the numbering; the final event sums usage and cost over all the jobs.
/// </summary>
public sealed record CocoonJobResumed(
    string JobId, string FailedJobId, string ContinuationJobId, string Reason, int DeliveredTokens, int RemainingMaxTokens, long BilledNano) : CocoonJobEvent;
