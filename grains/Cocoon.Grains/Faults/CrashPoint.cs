using System.Diagnostics;

namespace Cocoon.Grains.Faults;

/// <summary>
/// TEST ONLY: kills the process at a named step of the payout and deposit pipelines, so the crash tests can prove that
/// every step is safe to die in. Set <c>COCOON_TEST_CRASH_AT</c> to one step name (see <see cref="Steps"/>); the silo
/// kills itself (SIGKILL, no shutdown code runs) the first time it reaches that step. Unset, it does nothing: never set
/// it in production.
/// </summary>
public static class CrashPoint
{
    public const string EnvironmentVariable = "COCOON_TEST_CRASH_AT";

    public const string PayoutAfterOutboxWrite = "payout.after-outbox-write";
    public const string PayoutAfterSend = "payout.after-send";
    public const string PayoutAfterInclusion = "payout.after-inclusion";
    public const string PayoutBeforeConfirmation = "payout.before-confirmation";
    public const string DepositAfterCredit = "deposit.after-credit";

    public static readonly IReadOnlyList<string> Steps =
        [PayoutAfterOutboxWrite, PayoutAfterSend, PayoutAfterInclusion, PayoutBeforeConfirmation, DepositAfterCredit];

    private static readonly string? Armed = Environment.GetEnvironmentVariable(EnvironmentVariable);

    /// <summary>Dies here when this step is the armed one.</summary>
    public static void Reached(string step)
    {
        if (Armed is null || !string.Equals(Armed, step, StringComparison.Ordinal)) return;
        Console.Error.WriteLine($"{EnvironmentVariable}: killing the process at {step}");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
