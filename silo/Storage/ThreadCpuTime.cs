using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;

namespace Cocoon.Silo.Storage;

/// <summary>
/// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID), so the store can report what its serialization and
/// commits cost apart from the rest of the silo. Zero where the clock is not available (not Linux).
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>One measured operation in this many: the clock is a system call (two per operation cost 2 % of a busy silo).</summary>
    public const int SampleEvery = 8;

    private static int _operations;

    /// <summary>Starts measuring this operation if it is a sampled one: the value to give <see cref="EndSample"/>.</summary>
    public static long StartSample() =>
        (Interlocked.Increment(ref _operations) & (SampleEvery - 1)) == 0 ? NowMicros() : -1;

    /// <summary>Adds a sampled operation's CPU time, scaled to stand for the operations not measured.</summary>
    public static void EndSample(long start, Counter<long> counter)
    {
        if (start >= 0) counter.Add((NowMicros() - start) * SampleEvery);
    }

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
