using System.Diagnostics.Metrics;
using Cocoon.Grains.Telemetry;

namespace Cocoon.Silo.Storage;

/// <summary>
/// The SQLite store's share of a job: state writes, the transactions they were grouped into (fewer than the writes when
/// group commit works), bytes serialized, and the CPU time of serializing and committing (estimated from one operation in
/// <see cref="ThreadCpuTime.SampleEvery"/>). On Cocoon's meter, so
/// <c>/metrics</c> shows them and the load benchmarks can divide them by the jobs run.
/// </summary>
internal static class StorageTelemetry
{
    public static readonly Counter<long> Writes = CocoonTelemetry.Meter.CreateCounter<long>("cocoon.storage.writes", "{write}");
    public static readonly Counter<long> Commits = CocoonTelemetry.Meter.CreateCounter<long>("cocoon.storage.commits", "{transaction}");
    public static readonly Counter<long> WrittenBytes = CocoonTelemetry.Meter.CreateCounter<long>("cocoon.storage.written", "By");
    public static readonly Counter<long> CpuMicros = CocoonTelemetry.Meter.CreateCounter<long>("cocoon.storage.cpu", "us");
}
