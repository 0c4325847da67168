using System.CommandLine;
using System.CommandLine.Parsing;
using BenchmarkDotNet.Running;
using Cocoon.Benchmarks.Load.Micro;

namespace Cocoon.Benchmarks.Load.Commands;

/// <summary>
/// <c>micro [filter] [BenchmarkDotNet options]</c>: the BenchmarkDotNet suite of this assembly. A bare filter
/// becomes <c>--filter *filter*</c>; without one every benchmark runs; without <c>--job</c> it runs BenchmarkDotNet's
/// short job. Use a Release build (<c>-c Release</c>).
/// </summary>
internal static class MicroCommand
{
    public static Command Create()
    {
        var filter = new Argument<string?>("filter")
        {
            Description = "Run the benchmarks whose full name contains this text (default: all).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("micro", "Run the BenchmarkDotNet micro-benchmarks; other options go to BenchmarkDotNet (e.g. --list flat, --job short).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(filter);
        command.SetAction(parseResult =>
        {
            // The raw tokens after "micro", in order, so that BenchmarkDotNet's own options keep their values.
            var tokens = parseResult.Tokens.SkipWhile(t => t.Type != TokenType.Command || t.Value != "micro").Skip(1).Select(t => t.Value).ToList();
            var args = BuildArguments(tokens);
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(HistogramRecordingBenchmarks).Assembly).Run([.. args]);
            return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
        });
        return command;
    }

    internal static IReadOnlyList<string> BuildArguments(IReadOnlyList<string> tokens)
    {
        var args = new List<string>();
        var rest = tokens.ToList();
        if (rest.Count > 0 && !rest[0].StartsWith('-'))
        {
            args.AddRange(["--filter", $"*{rest[0]}*"]);
            rest.RemoveAt(0);
        }
        else if (!rest.Contains("--filter") && !rest.Contains("-f") && !rest.Contains("--list"))
        {
            // Without a filter BenchmarkDotNet would ask on the console which benchmark to run.
            args.AddRange(["--filter", "*"]);
        }

        args.AddRange(rest);
        if (!rest.Contains("--list") && !rest.Contains("--job") && !rest.Contains("-j"))
        {
            // ShortRun (3 warm-ups, 3 iterations) keeps the whole suite to minutes; `--job default` measures longer.
            args.AddRange(["--job", "short"]);
        }

        return args;
    }
}
