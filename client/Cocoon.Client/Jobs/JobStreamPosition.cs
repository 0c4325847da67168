using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// What one caller has already received of a job's events, across re-attaches. A re-attach replays the job from its
/// start (the live log, or the stored output once it has finished), so output is skipped by position, acceptances
/// by attempt and usage receipts by node and sequence.
/// </summary>
internal sealed class JobStreamPosition
{
    private readonly HashSet<(string NodeId, int Sequence)> _receipts = [];
    private int _output;
    private int _passOutput;
    private int _attempt;

    /// <summary>A new pass over the job's events begins (the first run, or a re-attach).</summary>
    public void StartPass() => _passOutput = 0;

    /// <summary>True when the caller has not had <paramref name="e"/> yet; records it.</summary>
    public bool IsNew(JobEvent e)
    {
        switch (e)
        {
            case JobTokenEvent or JobSealedChunkEvent:
                if (_passOutput++ < _output) return false;
                _output++;
                return true;
            case JobAccepted a:
                if (a.Attempt <= _attempt) return false;
                _attempt = a.Attempt;
                return true;
            case JobUsageEvent u:
                return _receipts.Add((u.Receipt.NodeId, u.Receipt.Sequence));
            default:
                return true;
        }
    }
}
