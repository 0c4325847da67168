using System.CommandLine;
using System.Globalization;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Spectre.Console;

namespace Cocoon.Cli.Network;

/// <summary><c>cocoon nodes</c>: the live nodes, of one model or all, with price, load, region and owner.</summary>
public static class NodesCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Option<string?>("--model", "-m") { Description = "Only nodes serving this model." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("nodes", "List the live nodes.") { model, json };
        command.SetAction((parse, cancellationToken) => runner.Run(parse, null, async client =>
        {
            var nodes = await client.ListNodesAsync(parse.GetValue(model), cancellationToken);
            if (parse.GetValue(json))
            {
                await runner.IO.Out.WriteLineAsync(ToJson(nodes));
                return ExitCodes.Success;
            }
            var console = Tables.Console(runner.IO.Out);
            if (nodes.Count == 0)
            {
                console.WriteLine("No live nodes. Start a worker silo (`dotnet run --project silo`), or wait for its models to load.");
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Node", "Models", "Coefficient", "Running", "Queued", "Capacity", "Latency (ms)", "Region", "Owner", "Attested");
            foreach (var n in nodes)
                table.AddRow(Markup.Escape(n.Id), Markup.Escape(string.Join(", ", n.Models)), (n.Coefficient / 1000m).ToString("0.###", CultureInfo.InvariantCulture),
                    n.Load.Running.ToString(), n.Load.Queued.ToString(), n.MaxActive.ToString(), n.Load.RecentLatencyMs.ToString("0", CultureInfo.InvariantCulture),
                    Markup.Escape(n.Region), Markup.Escape(n.Owner), n.Attested ? "yes" : "no");
            console.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    internal static string ToJson(IReadOnlyList<CocoonNode> nodes) => Json.Object(w =>
    {
        w.WriteStartArray("nodes");
        foreach (var n in nodes)
        {
            w.WriteStartObject();
            w.WriteString("id", n.Id);
            w.WriteStartArray("models");
            foreach (var m in n.Models) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteNumber("coefficient", n.Coefficient);
            w.WriteStartObject("load");
            w.WriteNumber("running", n.Load.Running);
            w.WriteNumber("queued", n.Load.Queued);
            w.WriteNumber("recent_latency_ms", Math.Round(n.Load.RecentLatencyMs, 3));
            w.WriteEndObject();
            w.WriteNumber("max_active", n.MaxActive);
            w.WriteString("region", n.Region);
            w.WriteString("owner", n.Owner);
            w.WriteBoolean("attested", n.Attested);
            w.WriteString("last_seen", n.LastSeen.UtcDateTime.ToString("O"));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
