using System.Runtime.InteropServices;

namespace Cocoon.Silo.Storage;

/// <summary>
/// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID), so the store can report what its serialization and
/// commits cost apart from the rest of the silo. Zero where the clock is not available (not Linux).
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static long NowMicros()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return clock_gettime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds * 1_000_000 + t.Nanoseconds / 1_000 : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);
}
