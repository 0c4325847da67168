using System.CommandLine;
using Cocoon.Benchmarks.Load;
using Cocoon.Benchmarks.Load.Commands;

// `inference` compares our engine with llama.cpp and prints its figures as the last line (see docs/benchmarks.md).
if (args is ["inference", ..])
    return await Cocoon.Benchmarks.Inference.InferenceBenchmark.RunAsync(args[1..]);
// `confidential-ratio` times sealing against its primitives interleaved, round by round (docs/benchmarks.md).
if (args is ["confidential-ratio", ..])
    return Cocoon.Benchmarks.Confidential.SealingRatio.Run(args[1..]);

// Cocoon's own scenarios (routing-overhead, tiny-throughput, ramp, spike, soak-failover) next to the self-tests.
var catalog = Cocoon.Benchmarks.Scenarios.EndpointOverheadScenario.Register(
    Cocoon.Benchmarks.Scenarios.CocoonScenarios.Register(ScenarioCatalog.CreateDefault()));
return await Program.RunAsync(args, catalog, Console.Out, Console.Error, CancellationToken.None);

/// <summary>The benchmarks command line: one verb per kind of measurement.</summary>
internal partial class Program
{
    /// <summary>
    /// The verbs. Add one by writing a <c>static Command Create(...)</c> with its options and action, and listing it here.
    /// </summary>
    internal static RootCommand CreateRootCommand(IScenarioCatalog catalog, TextWriter output, TextWriter error)
    {
        Command[] verbs =
        [
            ListCommand.Create(catalog, output),
            LoadCommand.Create(catalog, output, error),
            MicroCommand.Create(),
            Cocoon.Benchmarks.Ton.TonCompareCommand.Create(),
            Cocoon.Benchmarks.Ton.ReconcileBenchCommand.Create(),
            Cocoon.Benchmarks.Cluster.ClusterCommand.Create(output),
        ];

        var root = new RootCommand("Cocoon benchmarks: load scenarios (list, load) and micro-benchmarks (micro).");
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>Parses and runs a command line; Ctrl+C cancels the run, which still writes its reports.</summary>
    internal static Task<int> RunAsync(string[] args, IScenarioCatalog catalog, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parseResult = CreateRootCommand(catalog, output, error).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Time to drain in-flight iterations and write the reports after Ctrl+C before the process is ended.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        return parseResult.InvokeAsync(invocation, cancellationToken);
    }
}
