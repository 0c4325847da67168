using Cocoon.Client;

namespace Cocoon.Cli.Jobs;

/// <summary>
/// The JSON Lines form of job events (docs/cli.md). Values that differ between two runs of the same job (job id, node
/// id, deadline) appear only in <c>accepted</c>, and timings only under keys ending in <c>_ms</c>.
/// </summary>
public static class JobEventJson
{
    public static string Format(CocoonJobEvent e, long elapsedMs) => e switch
    {
        CocoonJobAccepted a => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "accepted");
            w.WriteString("job_id", a.JobId);
            w.WriteString("node_id", a.NodeId);
            w.WriteNumber("attempt", a.Attempt);
            w.WriteString("deadline", a.Deadline.UtcDateTime.ToString("O"));
            w.WriteNumber("reserved_nano", a.ReservedNano);
        }),
        CocoonJobToken t => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "token");
            w.WriteNumber("index", t.Index);
            w.WriteNumber("id", t.Id);
            w.WriteString("text", t.Text);
        }),
        CocoonJobUsage u => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "usage");
            w.WriteNumber("prompt_tokens", u.PromptTokens);
            w.WriteNumber("cached_prompt_tokens", u.CachedPromptTokens);
            w.WriteNumber("completion_tokens", u.CompletionTokens);
            w.WriteNumber("coefficient", u.Coefficient);
            w.WriteNumber("sequence", u.Sequence);
            w.WriteBoolean("final", u.Final);
        }),
        CocoonJobResumed r => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "resumed");
            w.WriteString("failed_job_id", r.FailedJobId);
            w.WriteString("continuation_job_id", r.ContinuationJobId);
            w.WriteString("reason", r.Reason);
            w.WriteNumber("delivered_tokens", r.DeliveredTokens);
            w.WriteNumber("remaining_max_tokens", r.RemainingMaxTokens);
            w.WriteNumber("billed_nano", r.BilledNano);
        }),
        CocoonJobCompleted c => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "completed");
            w.WriteString("finish_reason", c.FinishReason);
            w.WriteNumber("prompt_tokens", c.PromptTokens);
            w.WriteNumber("cached_prompt_tokens", c.CachedPromptTokens);
            w.WriteNumber("completion_tokens", c.CompletionTokens);
            w.WriteNumber("cost_nano", c.CostNano);
            w.WriteString("cost_ton", TonAmount.Format(c.CostNano));
            w.WriteNumber("route_ms", Math.Max(0, c.Timings.NodeStartMs - c.Timings.JobStartMs));
            w.WriteNumber("node_ms", Math.Max(0, c.Timings.NodeEndMs - c.Timings.NodeStartMs));
            w.WriteNumber("job_ms", Math.Max(0, c.Timings.JobEndMs - c.Timings.JobStartMs));
            w.WriteNumber("elapsed_ms", elapsedMs);
        }),
        CocoonJobFailed f => Hosting.Json.Object(w =>
        {
            w.WriteString("event", "failed");
            w.WriteString("code", f.Code);
            w.WriteString("message", f.Message);
            w.WriteNumber("completion_tokens", f.CompletionTokens);
            w.WriteNumber("cost_nano", f.CostNano);
            w.WriteString("cost_ton", TonAmount.Format(f.CostNano));
            w.WriteNumber("elapsed_ms", elapsedMs);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown job event."),
    };
}
