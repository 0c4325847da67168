using System.CommandLine;

namespace Cocoon.Benchmarks.Cluster;

/// <summary>
/// <c>cluster</c>: the real silo as separate processes on a throwaway PostgreSQL (1 then 3 core silos, 2 echo workers):
/// echo throughput with 1 and with 3 core silos, and kill -9 of a worker under load (docs/benchmarks.md, cluster).
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter output)
    {
        var runs = new Option<int>("--runs") { Description = "Measurements of each kind; the medians are reported.", DefaultValueFactory = _ => 3 };
        var window = new Option<int>("--seconds") { Description = "Length of each throughput window, in seconds.", DefaultValueFactory = _ => 15 };
        var callers = new Option<int>("--callers") { Description = "Client callers, each submitting its next job when the last ends.", DefaultValueFactory = _ => 16 };
        var tokens = new Option<int>("--tokens") { Description = "Echo tokens per job.", DefaultValueFactory = _ => 8 };
        var pace = new Option<int>("--tokens-per-second") { Description = "Echo pace per job (0: as fast as it goes).", DefaultValueFactory = _ => 40 };
        var only = new Option<string>("--only") { Description = "all, throughput or failover.", DefaultValueFactory = _ => "all" };
        only.AcceptOnlyFromAmong("all", "throughput", "failover");
        var command = new Command("cluster", "Echo throughput with 1 and 3 core silos, and kill -9 of a worker under load, on PostgreSQL (separate processes).")
        {
            runs, window, callers, tokens, pace, only,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new ClusterBenchmarkSettings(
                Math.Max(1, parseResult.GetValue(runs)),
                TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(window))),
                Math.Max(1, parseResult.GetValue(callers)),
                Math.Max(1, parseResult.GetValue(tokens)),
                Math.Max(0, parseResult.GetValue(pace)))
            {
                Only = parseResult.GetValue(only) ?? "all",
            };
            return await ClusterBenchmark.RunAsync(settings, output, cancellationToken);
        });
        return command;
    }
}
