namespace Cocoon.Benchmarks.Load;

/// <summary>Process exit codes of a load run.</summary>
public static class LoadExitCodes
{
    public const int Success = 0;

    /// <summary>The run completed but at least one threshold was breached.</summary>
    public const int ThresholdsBreached = 1;

    /// <summary>Bad command line or config: nothing ran.</summary>
    public const int InvalidInput = 2;

    /// <summary>A scenario's init hook failed, so the run could not be measured.</summary>
    public const int RunFailed = 3;

    /// <summary>Stopped with Ctrl+C (128 + SIGINT); partial results are still reported.</summary>
    public const int Cancelled = 130;
}
