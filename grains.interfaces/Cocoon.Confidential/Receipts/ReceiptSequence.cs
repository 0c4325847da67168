namespace Cocoon.Confidential.Receipts;

/// <summary>Cumulative receipts of one job must only grow: a later receipt never reports fewer tokens than an earlier one.</summary>
public static class ReceiptSequence
{
    /// <summary>Null when <paramref name="next"/> may follow <paramref name="previous"/>, else why not.</summary>
    public static string? CheckSuccessor(UsageReceipt? previous, UsageReceipt next)
    {
        if (previous is null)
        {
            return null;
        }
        if (previous.JobId != next.JobId || previous.NodeId != next.NodeId)
        {
            return "receipts belong to different jobs or nodes";
        }
        if (previous.Final)
        {
            return $"receipt {next.Sequence} follows the final receipt {previous.Sequence}";
        }
        if (next.Sequence <= previous.Sequence)
        {
            return $"receipt sequence {next.Sequence} does not follow {previous.Sequence}";
        }
        if (next.Coefficient != previous.Coefficient)
        {
            return $"coefficient changed from {previous.Coefficient} to {next.Coefficient}";
        }
        if (next.PromptTokens < previous.PromptTokens || next.CachedPromptTokens < previous.CachedPromptTokens
            || next.CompletionTokens < previous.CompletionTokens)
        {
            return "a cumulative token count decreased";
        }
        return null;
    }

    /// <summary>True when every receipt may follow the one before it.</summary>
    public static bool IsMonotonic(IEnumerable<UsageReceipt> receipts, out string? reason)
    {
        UsageReceipt? previous = null;
        foreach (var receipt in receipts)
        {
            reason = CheckSuccessor(previous, receipt);
            if (reason is not null)
            {
                return false;
            }
            previous = receipt;
        }
        reason = null;
        return true;
    }
}
