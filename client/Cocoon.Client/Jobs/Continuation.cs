using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// The job that goes on where a broken one stopped: the same model, sampling and deadline, the original prompt plus the
/// text already delivered (a completion prompt is extended; chat messages get a trailing assistant message the model
/// continues), and the completion tokens that remain.
/// </summary>
internal static class Continuation
{
    /// <summary>
    /// <c>JOBID.rN</c>, so that running the original job id again replays its continuations too instead of paying for
    /// new ones; a random id when that would be too long.
    /// </summary>
    public static string JobId(string originalJobId, int resume)
    {
        var id = $"{originalJobId}.r{resume}";
        return JobIds.IsValid(id) ? id : JobIds.New();
    }

    public static PromptContent Content(PromptContent original, string textSoFar) =>
        original.Prompt is not null
            ? original with { Prompt = original.Prompt + textSoFar }
            : original with { Messages = [.. original.Messages ?? [], new PromptMessage("assistant", textSoFar)] };
}
