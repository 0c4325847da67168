using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cocoon.Ton.Cells;

namespace Cocoon.Benchmarks.Ton;

/// <summary>
/// <c>ton-compare</c>: cell hashing and BOC parse/serialize, ours against @ton/core on the same bag of cells in the same
/// run (the @ton/core side is <c>ton-core-compare.js</c> under Node.js, from the dev chain's node_modules). Prints one JSON
/// object with nanoseconds per operation for both and the ratio (above 1: we are faster).
/// </summary>
public static class TonCompareCommand
{
    public static Command Create()
    {
        var cells = new Option<int>("--cells") { Description = "Cells in the tree.", DefaultValueFactory = _ => 1000 };
        var iterations = new Option<int>("--iterations") { Description = "Runs per timed round.", DefaultValueFactory = _ => 200 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds; the best one counts.", DefaultValueFactory = _ => 5 };
        var command = new Command("ton-compare", "Cell hashing and BOC parse/serialize against @ton/core on the same cells.") { cells, iterations, rounds };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tree = TonBenchmarks.BuildTree(parse.GetValue(cells));
            var boc = tree.ToBoc();
            var file = Path.Combine(Path.GetTempPath(), $"cocoon-ton-compare-{Environment.ProcessId}.boc");
            await File.WriteAllBytesAsync(file, boc, cancellationToken);
            try
            {
                var n = parse.GetValue(iterations);
                var r = parse.GetValue(rounds);
                var all = Collect(tree);
                long sink = 0;
                var ours = new Dictionary<string, double>
                {
                    ["parse_ns"] = Time(() => sink += Boc.DeserializeSingle(boc).Refs.Count, n, r),
                    ["serialize_ns"] = Time(() => sink += Boc.Serialize(tree).Length, n, r),
                    ["serialize_index_crc_ns"] = Time(() => sink += Boc.Serialize(tree, withIndex: true, withCrc32C: true).Length, n, r),
                    ["hash_all_ns"] = Time(() =>
                    {
                        foreach (var c in all) sink += new CellBuilder().StoreCellContents(c).Build().Hash[0];
                    }, n, r),
                };
                using var theirs = JsonDocument.Parse(await RunNode(file, n, r, cancellationToken));
                var output = new Dictionary<string, object>
                {
                    ["cells"] = all.Count,
                    ["boc_bytes"] = boc.Length,
                    ["iterations"] = n,
                    ["rounds"] = r,
                    ["runtime"] = $".NET {Environment.Version}",
                    ["ton_core"] = theirs.RootElement.GetProperty("library").GetString()!,
                    ["node"] = theirs.RootElement.GetProperty("node").GetString()!,
                    ["sink"] = sink % 7,
                };
                foreach (var (name, ns) in ours)
                {
                    var js = theirs.RootElement.GetProperty(name).GetDouble();
                    output[name.Replace("_ns", "")] = new { cocoon_ns = Math.Round(ns), ton_core_ns = Math.Round(js), speedup = Math.Round(js / ns, 2) };
                }
                Console.WriteLine(JsonSerializer.Serialize(output));
                return 0;
            }
            finally
            {
                File.Delete(file);
            }
        });
        return command;
    }

    /// <summary>Every distinct cell, children before parents.</summary>
    private static List<Cell> Collect(Cell root)
    {
        var seen = new HashSet<Cell>();
        var order = new List<Cell>();
        void Visit(Cell c)
        {
            if (!seen.Add(c)) return;
            foreach (var r in c.Refs) Visit(r);
            order.Add(c);
        }
        Visit(root);
        return order;
    }

    /// <summary>Best of <paramref name="rounds"/> rounds of <paramref name="iterations"/> runs, after a warm-up: nanoseconds per run.</summary>
    private static double Time(Action run, int iterations, int rounds)
    {
        for (var i = 0; i < Math.Max(5, iterations / 10); i++) run();
        var best = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) run();
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / iterations);
        }
        return best;
    }

    private static async Task<string> RunNode(string bocFile, int iterations, int rounds, CancellationToken cancellationToken)
    {
        var devchain = Cocoon.Ton.DevChain.DevChainProcess.FindDevChainDirectory();
        await Cocoon.Ton.DevChain.DevChainProcess.EnsureInstalledAsync(devchain, new Cocoon.Ton.DevChain.DevChainOptions { DataDirectory = Path.GetTempPath() }, cancellationToken);
        var script = Path.Combine(AppContext.BaseDirectory, "Ton", "ton-core-compare.js");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, bocFile, iterations.ToString(), rounds.ToString() }) start.ArgumentList.Add(a);
        start.Environment["NODE_PATH"] = Path.Combine(devchain, "node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ton-core-compare.js failed ({process.ExitCode}): {await stderr}");
        return (await stdout).Trim().Split('\n')[^1];
    }
}
